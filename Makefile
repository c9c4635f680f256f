# The two commands of README.md, and what they stand on.
#
#   make demo   services up, build, run the demo (the main job)
#   make test   services up, build, run every test against the real servers
#
# Both install what is missing (Debian packages, via scripts/services) and
# start RabbitMQ, Redis and an SMTP sink on loopback under .state/.

SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: demo test services services-down build release bench-clients clean

demo: services release
	.build/release/oms demo

test: services
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

services:
	scripts/services up

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
