# The two commands of README.md, and what they stand on.
#
#   make demo   services up, build, run the demo (the main job)
#   make test   services up, build, run every test against the real servers
#               (scripts/run-tests: output line by line; after 50 minutes the
#               tests still running are named and the run is stopped)
#   make fuzz   the libFuzzer targets, FUZZ_SECONDS (60) each, one at a time
#
# Both install what is missing (Debian packages, via scripts/services) and
# start RabbitMQ, Redis and an SMTP sink on loopback under .state/.

SWIFT ?= swift
SWIFT_FLAGS ?=
FUZZ_SECONDS ?= 60

.PHONY: demo test test-deps services services-down build release bench-clients fuzz clean

demo: services release
	.build/release/oms demo

test: services test-deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	scripts/run-tests $(SWIFT) test --skip-build $(SWIFT_FLAGS)

services:
	scripts/services up

# schemas/check_examples.py judges the message examples with Python's jsonschema;
# OMSHTTPTests validate openapi.yaml with openapi-spec-validator.
# ComposeFileTests validates compose/docker-compose.yml with docker-compose
# (Debian's package; its `config` needs no Docker engine). It is installed as
# scripts/services installs packages: apt-get, through sudo when not root, and
# once more after apt-get update; without docker.io, which it only recommends.
# IntegrationTests.BrowserTests drive Debian's chromium through chromium-driver
# with Python's selenium (Tests/Browser/); they are installed the same ways.
test-deps:
	@python3 -c 'import jsonschema, rfc3339_validator' 2>/dev/null || \
		python3 -m pip install --quiet jsonschema rfc3339-validator || \
		{ echo "make: cannot install jsonschema for python3; try: apt-get install python3-jsonschema python3-rfc3339-validator"; exit 1; }
	@python3 -c 'import openapi_spec_validator' 2>/dev/null || \
		python3 -m pip install --quiet openapi-spec-validator || \
		{ echo "make: cannot install openapi-spec-validator for python3 (OMSHTTPTests validate openapi.yaml with it)"; exit 1; }
	@python3 -c 'import selenium' 2>/dev/null || \
		python3 -m pip install --quiet selenium || \
		{ echo "make: cannot install selenium for python3 (BrowserTests drive chromium with it)"; exit 1; }
	$(call apt-install,docker-compose,docker-compose)
	$(call apt-install,chromium chromium-driver,chromium chromedriver)

# $(call apt-install,PACKAGES,COMMANDS): the Debian packages, when one of the
# commands is missing.
define apt-install
@missing=$$(for command in $(2); do command -v $$command >/dev/null || echo $$command; done); \
	[ -z "$$missing" ] || { \
	if [ "$$(id -u)" -eq 0 ]; then root=; else root="sudo"; fi; \
	install="$$root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(1)"; \
	echo "make: installing $(1) with apt-get…" >&2; \
	$$install >&2 || { $$root apt-get update -q >&2 && $$install >&2; } || \
	{ echo "make: cannot install $(1); as root run: apt-get install -y $(1)"; exit 1; }; }
endef

services-down:
	scripts/services down

build:
	$(SWIFT) build $(SWIFT_FLAGS)

release:
	$(SWIFT) build -c release $(SWIFT_FLAGS)

bench-clients: services release
	bench/clients/run

# Corpus in fuzz/corpus/<target>/, crashers in fuzz/crashers/<target>/ (fuzz/run says more).
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

clean:
	rm -rf .build
