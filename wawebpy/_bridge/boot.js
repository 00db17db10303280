// Boot: install the moment WhatsApp Web publishes window.Debug (a setter trap, so no message
// added right after can slip past the listeners), with polling as the fallback for pages that
// define Debug some other way or before this script ran.
if (!install()) {
  const timer = setInterval(() => {
    try { if (install()) clearInterval(timer); } catch (e) { clearInterval(timer); }
  }, 50);
  const desc = Object.getOwnPropertyDescriptor(window, 'Debug');
  if (!desc || desc.configurable) {
    let current = window.Debug;
    try {
      Object.defineProperty(window, 'Debug', {
        configurable: true, enumerable: true,
        get() { return current; },
        set(value) {
          current = value;
          try { if (install()) clearInterval(timer); } catch (e) { /* polling retries */ }
        },
      });
    } catch (e) { /* polling only */ }
  }
}
