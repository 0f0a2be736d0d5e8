# Bookstamp: `make run` builds everything and starts a demo server; `make test` builds and runs every test.
# Variables can be overridden: make run LISTEN=0.0.0.0:8080 DATA=/srv/bookstamp
BUILD_DIR    ?= build
BUILD_TYPE   ?= RelWithDebInfo
DATA         ?= data
LISTEN       ?= 127.0.0.1:8080
JOBS         ?= 2
TEST_TIMEOUT ?= 300
CTEST_ARGS   ?=

BOOKSTAMP := $(BUILD_DIR)/bookstamp

.PHONY: all deps build configure server web run test clean distclean help

all: build

help:
	@echo "make deps   - install Debian packages (apt) and the web app's npm packages"
	@echo "make build  - deps, then the server ($(BOOKSTAMP)) and the web app (web/dist)"
	@echo "make run    - build, create a demo city in $(DATA)/ once, serve on http://$(LISTEN)/"
	@echo "make test   - build, then every CTest test (timeout $(TEST_TIMEOUT) s each)"
	@echo "make clean  - remove $(BUILD_DIR)/ and web/dist/ (keeps $(DATA)/)"

deps:
	scripts/deps.sh

build: deps
	$(MAKE) --no-print-directory server web

configure:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

server: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

web:
	cd web && npm run build

run: build
	@if [ ! -f "$(DATA)/bookstamp.db" ]; then \
	  echo "run: no $(DATA)/bookstamp.db yet: creating the demo city"; \
	  $(BOOKSTAMP) demo --data "$(DATA)" && \
	  echo "run: adding real MARC records (tests/data/marc, see its ATTRIBUTION) to the catalog" && \
	  $(BOOKSTAMP) import marc --data "$(DATA)" --default-branch MAIN tests/data/marc/*.mrc; \
	fi
	@echo
	@echo "Bookstamp: http://$(LISTEN)/   (staff console: http://$(LISTEN)/staff)"
	@$(BOOKSTAMP) demo --print-logins --data "$(DATA)"
	@echo
	exec $(BOOKSTAMP) serve --data "$(DATA)" --listen "$(LISTEN)"

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout $(TEST_TIMEOUT) $(CTEST_ARGS)

clean:
	rm -rf $(BUILD_DIR) web/dist

# Also the web app's node_modules. Never touches $(DATA)/: that is the library's data.
distclean: clean
	rm -rf web/node_modules
