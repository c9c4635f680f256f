# The two commands of README.md, and what they stand on.
#
#   make demo   services up, build, run the demo (the main job)
#   make test   services up, build, run every test against the real servers
#
# Both install what is missing (Debian packages, via scripts/services) and
# start RabbitMQ, Redis and an SMTP sink on loopback under .state/.

SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: demo test test-deps services services-down build release bench-clients clean

demo: services release
	.build/release/oms demo

test: services test-deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

services:
	scripts/services up

# schemas/check_examples.py judges the message examples with Python's jsonschema.
# ComposeFileTests validates compose/docker-compose.yml with docker-compose
# (Debian's package; its `config` needs no Docker engine). It is installed as
# scripts/services installs packages: apt-get, through sudo when not root, and
# once more after apt-get update; without docker.io, which it only recommends.
test-deps:
	@python3 -c 'import jsonschema, rfc3339_validator' 2>/dev/null || \
		python3 -m pip install --quiet jsonschema rfc3339-validator || \
		{ echo "make: cannot install jsonschema for python3; try: apt-get install python3-jsonschema python3-rfc3339-validator"; exit 1; }
	@command -v docker-compose >/dev/null || { \
		if [ "$$(id -u)" -eq 0 ]; then root=; else root="sudo"; fi; \
		install="$$root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker-compose"; \
		echo "make: installing docker-compose with apt-get…" >&2; \
		$$install >&2 || { $$root apt-get update -q >&2 && $$install >&2; } || \
		{ echo "make: cannot install docker-compose; as root run: apt-get install -y docker-compose"; exit 1; }; }

services-down:
	scripts/services down

build:
	$(SWIFT) build $(SWIFT_FLAGS)

release:
	$(SWIFT) build -c release $(SWIFT_FLAGS)

bench-clients: services release
	bench/clients/run

clean:
	rm -rf .build
