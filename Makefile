# Convenience targets; scripts/ holds the real commands.
.PHONY: setup demo check bench soak

setup:
	scripts/setup.sh

demo:
	scripts/demo.sh

check:
	scripts/check.sh

# Every benchmark, one markdown table in bench-results/results.md (numbers also printed).
bench: setup
	mkdir -p bench-results
	printf '# wawebpy benchmarks\n\nMachine: %s cores, %s, %s\n' "$$(nproc)" "$$(grep MemTotal /proc/meminfo | tr -s ' ')" "$$(chromium --version 2>/dev/null)" > bench-results/results.md
	.venv/bin/python benchmarks/bench_transport.py --markdown bench-results/results.md
	.venv/bin/python benchmarks/bench_session.py | tee bench-results/session.txt
	printf '\n## sessions\n\n```\n' >> bench-results/results.md
	cat bench-results/session.txt >> bench-results/results.md
	printf '```\n' >> bench-results/results.md

soak: setup
	.venv/bin/python benchmarks/soak.py --minutes 30
