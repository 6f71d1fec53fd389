# nyckel: build, test, demo and install.
#
#   make            build the five executables into $(BUILD)/bin
#   make check      unit and integration tests (installs Debian packages first)
#   make demo       run jobs/demo.json into a throwaway PostgreSQL under var/
#   make bench      the national-scale benchmark (see bench/README.md)
#   make check-sanitize   the same suite built by clang with ASan and UBSan into build-sanitize
#   make check-valgrind   extract, transform and load of the demo job under valgrind
#   make check-kill       loads killed with SIGKILL at random moments (tests/kill)
#   make check-citus      the loads on a Citus coordinator and two workers, compared
#                         with plain PostgreSQL, and the kill trials there (needs
#                         Citus built into the machine's PostgreSQL, else skipped)
#   make fuzz FUZZ_SECONDS=60   every libFuzzer harness in tests/fuzz, in turn
#   make format     clang-format every C file (.clang-format); make format-check lists
#                   the files it would change and fails (run by .ci/run)
#   make install PREFIX=/usr/local, make uninstall, make clean
#
# Each of lib/, extract/, transform/, load/, run/ and report/ becomes a static archive
# of every .c file in it and its module folders (lib/base/, transform/cells/, ...);
# an executable is its folder's main.o plus the archives, and unit tests link
# against the archives, so adding a source file or a module folder needs no change here.
# Includes are written from the repository root ("lib/base/log.h"): -I. is the only -I.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
PKGS      = libpq libcurl jansson libarchive expat libcrypto yajl
SANITIZE ?=

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c17 -pthread -Wall -Wextra -Werror -D_GNU_SOURCE -I. $(SANITIZE)
CFLAGS   += $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDFLAGS  += -pthread $(SANITIZE)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

STAGES    = extract transform load run report
LIB_SRC   = $(call sources,lib)
LIB_OBJ   = $(LIB_SRC:%.c=$(BUILD)/%.o)

sources   = $(sort $(shell find $(1) -name '*.c'))
stage_src = $(filter-out $(1)/main.c,$(call sources,$(1)))
stage_obj = $(call stage_src,$(1):%.c=$(BUILD)/%.o)

PROGRAMS  = $(STAGES:%=$(BUILD)/bin/nyckel-%)
ARCHIVES  = $(STAGES:%=$(BUILD)/lib%.a) $(BUILD)/libnyckel.a

UNIT_SRC  = $(wildcard tests/unit/*_test.c)
UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check unit integration demo demo-stop bench fuzz fuzz-build check-sanitize \
	check-valgrind check-kill check-citus install uninstall clean setup format format-check
all: $(PROGRAMS)

setup:
	@./scripts/setup.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libnyckel.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

define stage_rules
$(BUILD)/lib$(1).a: $$(patsubst %.c,$(BUILD)/%.o,$$(call stage_src,$(1)))
	@rm -f $$@
	$$(AR) rcs $$@ $$^ $$(if $$^,,$(BUILD)/lib/base/error.o)

$(BUILD)/bin/nyckel-$(1): $(BUILD)/$(1)/main.o $(BUILD)/lib$(1).a $(BUILD)/libnyckel.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach s,$(STAGES),$(eval $(call stage_rules,$(s))))

# nyckel-load carries the SQL migrations in schemas/ compiled in.
$(BUILD)/load/schemas.c: scripts/embed-schemas.sh scripts/c-string.sh $(wildcard schemas/*.sql) schemas
	@mkdir -p $(dir $@)
	./scripts/embed-schemas.sh schemas > $@.tmp && mv $@.tmp $@

$(BUILD)/load/schemas.o: $(BUILD)/load/schemas.c load/load.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libload.a: $(BUILD)/load/schemas.o

# ... and its SQL (merge steps, settings, the stored benchmark, the audit), one statement a file in load/sql.
# The folder too: a file removed from it changes only the folder.
LOAD_SQL = $(wildcard load/sql/*.sql) load/sql
$(BUILD)/load/load_sql.h: scripts/embed-sql.sh $(LOAD_SQL)
	@mkdir -p $(dir $@)
	./scripts/embed-sql.sh header load/sql > $@.tmp && mv $@.tmp $@

$(BUILD)/load/load_sql.c: scripts/embed-sql.sh scripts/c-string.sh $(LOAD_SQL)
	@mkdir -p $(dir $@)
	./scripts/embed-sql.sh source load/sql > $@.tmp && mv $@.tmp $@

$(BUILD)/load/load_sql.o: $(BUILD)/load/load_sql.c $(BUILD)/load/load_sql.h
	$(CC) $(CFLAGS) -I$(BUILD)/load -c -o $@ $<

LOAD_SQL_USERS = $(BUILD)/load/merge.o $(BUILD)/load/settings.o $(BUILD)/load/marts/marts.o \
	$(BUILD)/load/audit.o
$(LOAD_SQL_USERS): $(BUILD)/load/load_sql.h
$(LOAD_SQL_USERS): CFLAGS += -I$(BUILD)/load

$(BUILD)/libload.a: $(BUILD)/load/load_sql.o

# nyckel-transform carries the municipality list of jobs/reference compiled in.
MUNICIPALITIES = jobs/reference/municipalities.csv
$(BUILD)/transform/municipalities.c: scripts/embed-municipalities.sh scripts/c-string.sh \
		$(MUNICIPALITIES)
	@mkdir -p $(dir $@)
	./scripts/embed-municipalities.sh $(MUNICIPALITIES) > $@.tmp && mv $@.tmp $@

$(BUILD)/transform/municipalities.o: $(BUILD)/transform/municipalities.c \
		transform/cells/area_names.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/libtransform.a: $(BUILD)/transform/municipalities.o

$(BUILD)/tests/%: tests/unit/%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(STAGES:%=$(BUILD)/lib%.a) \
		$(BUILD)/libnyckel.a $(LDLIBS) -lcmocka

# The allocation-failure tests (lib/base/alloc_faults.h) link the project's objects with their
# allocators wrapped; no program is, so the mode costs them nothing.
ALLOC_FAULTS_LDFLAGS = $(foreach f,malloc calloc realloc strdup asprintf,-Wl,--wrap=$(f))
ALLOC_FAULTS_TESTS = alloc_faults_test alloc_faults_growth_test buffer_test
$(ALLOC_FAULTS_TESTS:%=$(BUILD)/tests/%): LDFLAGS += $(ALLOC_FAULTS_LDFLAGS)

unit: $(UNIT_BIN)
	@./tests/run-unit.sh $(UNIT_BIN)

integration: all
	@BUILD=$(BUILD) ./tests/integration/run.sh

check: setup
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@BUILD=$(BUILD) ./tests/run-all.sh $(UNIT_BIN)

# The sanitizer and fuzzing builds live in their own folders so that they
# never mix objects with the normal build.  The sanitizer build uses clang:
# GCC 12's combined ASan+UBSan runtime ignores log_path for UBSan reports,
# so a test that expects a failing exit would hide undefined behaviour.
ASAN_BUILD  = build-sanitize
ASAN_FLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_BUILD  = build-fuzz
FUZZ_FLAGS  = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 60
FUZZ_SRC    = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN    = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)

check-sanitize: setup
	@$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC=clang SANITIZE="$(ASAN_FLAGS)" \
		all $(UNIT_SRC:tests/unit/%.c=$(ASAN_BUILD)/tests/%)
	@BUILD=$(ASAN_BUILD) CC=clang SANITIZE="$(ASAN_FLAGS)" ./tests/run-sanitized.sh $(UNIT_SRC:tests/unit/%.c=$(ASAN_BUILD)/tests/%)

check-valgrind: setup
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) ./tests/run-valgrind.sh

check-kill: setup
	@$(MAKE) --no-print-directory all
	@NYCKEL_ROOT=$(CURDIR) BUILD=$(BUILD) sh -eu tests/kill/load_kill.sh

# Not part of check: three clusters and two dozen loads take minutes.
check-citus: setup
	@$(MAKE) --no-print-directory all
	@if NYCKEL_ROOT=$(CURDIR) sh -c '. tests/lib/citus.sh && citus_installed'; then \
		NYCKEL_ROOT=$(CURDIR) BUILD=$(BUILD) ./tests/integration/run.sh citus && \
		NYCKEL_ROOT=$(CURDIR) BUILD=$(BUILD) CITUS=1 sh -eu tests/kill/load_kill.sh; \
	else echo "skipped: citus is not installed"; fi

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_support.h $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< \
		$(STAGES:%=$(BUILD)/lib%.a) $(BUILD)/libnyckel.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: setup
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SANITIZE="$(FUZZ_FLAGS)" fuzz-build
	@./tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/fuzz/%)

format: setup
	@./scripts/format.sh

format-check: setup
	@./scripts/format.sh --check

demo: setup
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) ./scripts/demo.sh

demo-stop:
	@./scripts/demo.sh --stop

# Not part of check: minutes of work at the default size (BENCH_VALUES=10000000).
bench:
	@./scripts/setup.sh --extra pgloader jq hyperfine time
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) ./bench/run.sh

# The systemd units, the cron and logrotate files name the installed
# programs: @PREFIX@ in them becomes $(PREFIX) (not $(DESTDIR)$(PREFIX)).
SHARE     = $(DESTDIR)$(PREFIX)/share/nyckel
DOC       = $(DESTDIR)$(PREFIX)/share/doc/nyckel
MAN       = $(DESTDIR)$(PREFIX)/share/man
SCHEDULE  = $(wildcard jobs/systemd/*) jobs/cron/nyckel jobs/logrotate/nyckel
install_prefixed = sed 's|@PREFIX@|$(PREFIX)|g' $(1) > $(2).tmp && chmod 644 $(2).tmp && \
	mv $(2).tmp $(2)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(SHARE)/schemas $(SHARE)/jobs $(SHARE)/systemd \
		$(SHARE)/cron $(SHARE)/logrotate $(SHARE)/alerts $(MAN)/man1 $(MAN)/man5 $(DOC)
	install -m 755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 schemas/*.sql $(SHARE)/schemas/
	install -m 644 jobs/*.json $(SHARE)/jobs/
	cp -R jobs/demo-data jobs/reference $(SHARE)/jobs/
	install -m 644 $(STAGES:%=docs/man/nyckel-%.1) $(MAN)/man1/
	install -m 644 docs/man/nyckel-job.5 $(MAN)/man5/
	install -m 644 README.md docs/*.md $(DOC)/
	install -m 755 jobs/alerts/mail-alert $(SHARE)/alerts/
	$(foreach f,$(SCHEDULE),$(call install_prefixed,$(f),$(SHARE)/$(f:jobs/%=%)) && ) true

uninstall:
	rm -f $(STAGES:%=$(DESTDIR)$(PREFIX)/bin/nyckel-%)
	rm -f $(STAGES:%=$(MAN)/man1/nyckel-%.1) $(MAN)/man5/nyckel-job.5
	rm -rf $(SHARE) $(DOC)

clean:
	rm -rf $(BUILD) build-*

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
