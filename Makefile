.PHONY: run test
run:
	scripts/dev run
test:
	scripts/dev test
