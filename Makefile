# retort: compile a migration folder into one self-contained migrator.
#
#   make                          build/retort and build/$(MIGRATOR) for $(MIGRATIONS)
#   make MIGRATIONS=dir MIGRATOR=name
#   make demo                     run the example against a throwaway cluster
#   make test                     the whole suite, against a throwaway cluster
#
# The generator is built with the host compiler (HOSTCC); the migrator with
# the target compiler (CC), which toolchain.cmake / release builds replace.

MIGRATIONS ?= migrations
MIGRATOR   ?= migrate
B          ?= build
RELEASE    ?= dev

CC       ?= cc
# The generator runs on this machine, whatever CC targets: never $(CC).
HOSTCC   ?= cc
RE2C     ?= re2c
PKG_CONFIG ?= pkg-config
CFLAGS   ?= -O2 -g
PG_CPPFLAGS := -I$(shell pg_config --includedir 2>/dev/null)
WARN     := -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wredundant-decls \
            -Wdisabled-optimization -Wdouble-promotion -Wmissing-declarations \
            -Wstrict-prototypes -Wmissing-prototypes -Wnested-externs \
            -Wold-style-definition -Wvla
STD      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ALL_CFLAGS = $(STD) $(WARN) $(CFLAGS) -MMD -MP

# libpg_query (PostgreSQL's parser, gen/lint/ only) is linked statically: the
# archive carries its own protobuf-c runtime, whose header alone comes from
# libprotobuf-c-dev. The migrator never links it.
GEN_LIBS := -lcrypto -linih -l:libpg_query.a
RT_LIBS  := -lpq -linih -lcrypto
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check 2>/dev/null || echo -lcheck)

# A relative MIGRATIONS= names a folder in the caller's directory, also under
# `make -C retort`: make changes directory but not PWD, which the caller's
# shell set. Sub-makes get the absolute path.
ifneq ($(filter command line environment,$(origin MIGRATIONS)),)
ifeq ($(filter /%,$(MIGRATIONS)),)
ifneq ($(realpath $(PWD)),$(CURDIR))
ifeq ($(filter /%,$(PWD)),)
$(error MIGRATIONS=$(MIGRATIONS) is relative, and the directory it is relative to is unknown (PWD is not set): give an absolute path)
endif
override MIGRATIONS := $(abspath $(PWD)/$(MIGRATIONS))
MAKEOVERRIDES := $(filter-out MIGRATIONS=%,$(MAKEOVERRIDES)) MIGRATIONS=$(MIGRATIONS)
endif
endif
endif

ifeq ($(V),)
Q = @
msg = @printf '  %-6s %s\n' $(1) $(2);
else
Q =
msg =
endif

all: $(B)/retort $(B)/$(MIGRATOR)
.PHONY: all test demo clean deps

# ---- generator --------------------------------------------------------------
# Shared pieces live in gen/, each front end in its own folder (gen/sql/,
# gen/py/, ...): every gen/*.c, gen/*/*.c and gen/*/*.re is built, so a new
# folder needs no change here. A file includes its own folder's headers by
# name, others' by folder ("py/pyrev.h"): -Igen, plus the source's folder
# for the C that re2c writes under $(B). File names stay unique across
# folders: ar keeps members by name.
GEN_RE   := $(wildcard gen/*.re gen/*/*.re)
# gen/schema/ links libpq: built apart (SCHEMA_SRC below), into build/retort only.
GEN_SRC  := $(filter-out gen/main.c gen/schema/%,$(wildcard gen/*.c gen/*/*.c))
# Small pure runtime files the generator's own code calls as well (colour,
# did-you-mean): one implementation for both binaries, in libgen.a too.
GEN_SHARED := color nearest
GEN_OBJ  := $(GEN_SRC:gen/%.c=$(B)/gen/%.o) $(GEN_RE:gen/%.re=$(B)/gen/%.o) \
            $(GEN_SHARED:%=$(B)/gen/rt/%.o)
GEN_LIB  := $(B)/gen/libgen.a
GEN_NAMES := $(notdir $(basename $(GEN_SRC) $(GEN_RE)))
ifneq ($(words $(GEN_NAMES)),$(words $(sort $(GEN_NAMES))))
$(error two generator sources share a file name ($(sort $(GEN_NAMES))): libgen.a would keep one)
endif

$(B)/gen/%.c: gen/%.re
	$(call msg,RE2C,$@)
	@mkdir -p $(@D)
	$(Q)$(RE2C) -W --no-generation-date --no-version -o $@.tmp $< && mv $@.tmp $@

$(B)/gen/%.o: $(B)/gen/%.c
	$(call msg,HOSTCC,$@)
	$(Q)$(HOSTCC) $(ALL_CFLAGS) -I$(<D:$(B)/%=%) -Igen -Iruntime -c -o $@ $<

$(B)/gen/%.o: gen/%.c
	$(call msg,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(ALL_CFLAGS) -Igen -Iruntime -c -o $@ $<

# The commands' getopt calls go through runtime/cmdspec.c (completion, man
# page): in the library, so every program linking libgen.a has it.
$(GEN_LIB): $(GEN_OBJ) $(B)/gen/rt/cmdspec.o
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# re2c's outputs are kept: deleted as intermediates, they would be remade,
# and everything after them, at every make.
.SECONDARY: $(GEN_RE:gen/%.re=$(B)/gen/%.c)

# heads/history print through the runtime's pure report and plan code (no
# libpq), built for the host: one implementation of Alembic's formats.
GEN_RT_OBJ := $(B)/gen/rt/report.o $(B)/gen/rt/plan.o $(B)/gen/rt/complete.o \
              $(B)/gen/rt/manpage.o $(B)/gen/rt/json.o

$(B)/gen/rt/%.o: runtime/%.c
	$(call msg,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(ALL_CFLAGS) -Iruntime -c -o $@ $<

# gen/schema/: the schema model, diff and autogenerate; only build/retort
# links it (and libpq), so the unit suites and fuzz targets stay as they are.
SCHEMA_SRC := $(wildcard gen/schema/*.c)
SCHEMA_OBJ := $(SCHEMA_SRC:gen/%.c=$(B)/gen/%.o)

$(B)/gen/schema/%.o: gen/schema/%.c
	$(call msg,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(ALL_CFLAGS) $(PG_CPPFLAGS) -Igen -Iruntime -c -o $@ $<

$(B)/retort: $(B)/gen/main.o $(SCHEMA_OBJ) $(GEN_RT_OBJ) $(GEN_LIB)
	$(call msg,LINK,$@)
	$(Q)$(HOSTCC) $(CFLAGS) -o $@ $^ $(GEN_LIBS) -lpq

# ---- runtime ----------------------------------------------------------------
RT_SRC   := $(filter-out runtime/main.c runtime/buildinfo.c,$(wildcard runtime/*.c))
RT_OBJ   := $(RT_SRC:runtime/%.c=$(B)/rt/%.o)
RT_LIB   := $(B)/libretort.a

$(B)/rt/%.o: runtime/%.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(PG_CPPFLAGS) -Iruntime -c -o $@ $<

$(RT_LIB): $(RT_OBJ) $(B)/rt/main.o
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

# Build facts (release name, the migrations' date) go into one small object
# per migrator, so that the library itself does not change with them
# (scripts/buildinfo.sh).

# ---- one migrator per migration folder ---------------------------------------
# The generated C follows the folder's content, not its files' times (a file
# copied with `cp -p` or unpacked from an archive is older than the last
# build, and MIGRATIONS= may name another folder): it is generated at every
# make and replaces the old file only when its bytes differ, so an unchanged
# folder rebuilds nothing. Release name and build date likewise go through a
# small header rewritten only when they change (scripts/buildinfo.sh).
#
# $(call regen,FOLDER): the recipe writing $@ from FOLDER.
define regen
	@mkdir -p $$(@D)
	$$(Q)$(B)/retort compile $(1) -o $$@.new
	$$(Q)if cmp -s $$@.new $$@; then rm -f $$@.new; \
		else mv -f $$@.new $$@ && printf '  %-6s %s\n' GEN $$@; fi
endef

# $(call migrator,OUTPUT,FOLDER): compile FOLDER to C and link OUTPUT.
define migrator
$(1).migrations.c: $(B)/retort FORCE
$(call regen,$(2))

$(1).migrations.o: $(1).migrations.c runtime/migration.h
	$$(call msg,CC,$$@)
	$$(Q)$$(CC) $$(ALL_CFLAGS) -Iruntime -c -o $$@ $$<

$(1).buildinfo.h: FORCE
	$$(Q)scripts/buildinfo.sh $$@ '$(2)' '$$(RELEASE)'

$(1).buildinfo.o: runtime/buildinfo.c $(1).buildinfo.h
	$$(call msg,CC,$$@)
	$$(Q)$$(CC) $$(ALL_CFLAGS) -Iruntime -include $(1).buildinfo.h -c -o $$@ $$<

$(1): $(1).migrations.o $(1).buildinfo.o $$(RT_LIB)
	$$(call msg,LINK,$$@)
	$$(Q)$$(CC) $$(CFLAGS) -o $$@ $(1).migrations.o $(1).buildinfo.o $$(RT_LIB) $$(RT_LIBS)
endef

$(eval $(call migrator,$(B)/$(MIGRATOR),$(MIGRATIONS)))

# ---- release: one static, stripped, reproducible migrator ---------------------
# make release [RELEASE=v1.2.3]   → $(B)/release/$(MIGRATOR)
#
# Built apart from the everyday objects, with its own flags and library, so
# CFLAGS (sanitizers, -g) never reach it. Reproducible: the build date is
# SOURCE_DATE_EPOCH, else the last commit touching the migration folder
# (scripts/buildinfo.sh, as CMakeLists.txt); -ffile-prefix-map keeps
# directory names out; no build id; `ar D` writes archives without times or
# owners. Debian ships no static Kerberos and no usable static LDAP:
# release/nogss.c stands in for both (docs/shipping.md). toolchain.cmake
# carries the same flags for CMake builds: keep the two in step.
REL          := $(B)/release
PG_LIBDIR    := $(shell pg_config --libdir 2>/dev/null)
PG_PKGLIBDIR := $(shell pg_config --pkglibdir 2>/dev/null)
REL_CFLAGS   := -O2 -ffile-prefix-map=$(CURDIR)/= -ffile-prefix-map=$(REL)/= -DRT_STATIC_BUILD
REL_LDFLAGS  := -static -s -Wl,--build-id=none
REL_LIBS     := $(PG_LIBDIR)/libpq.a $(PG_PKGLIBDIR)/libpgcommon_shlib.a \
                $(PG_PKGLIBDIR)/libpgport_shlib.a -linih -lssl -lcrypto -lpthread
REL_ALL_CFLAGS = $(STD) $(WARN) $(REL_CFLAGS) -MMD -MP
REL_RT_OBJ   := $(RT_SRC:runtime/%.c=$(REL)/rt/%.o) $(REL)/rt/main.o
REL_BIN      := $(REL)/$(MIGRATOR)

$(REL)/rt/%.o: runtime/%.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(REL_ALL_CFLAGS) $(PG_CPPFLAGS) -Iruntime -c -o $@ $<

$(REL)/nogss.o: release/nogss.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(REL_ALL_CFLAGS) -c -o $@ $<

$(REL)/libretort.a: $(REL_RT_OBJ)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcsD $@ $^

# Release name and date change the binary without touching a source file:
# scripts/buildinfo.sh rewrites this header only when they change.
$(REL_BIN).buildinfo.h: FORCE
	$(Q)scripts/buildinfo.sh $@ '$(MIGRATIONS)' '$(RELEASE)' release

define rel_migrations
$(REL_BIN).migrations.c: $(B)/retort FORCE
$(call regen,$(MIGRATIONS))
endef
$(eval $(rel_migrations))

$(REL_BIN).migrations.o: $(REL_BIN).migrations.c runtime/migration.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(REL_ALL_CFLAGS) -Iruntime -c -o $@ $<

$(REL_BIN).buildinfo.o: runtime/buildinfo.c $(REL_BIN).buildinfo.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(REL_ALL_CFLAGS) -Iruntime -include $(REL_BIN).buildinfo.h -c -o $@ $<

# glibc warns that a static getaddrinfo/getpwuid_r/dlopen needs its shared
# NSS modules at run time. Not so for us: glibc 2.34+ builds the "files" and
# "dns" sources in, and the release tests resolve a host name from /etc/hosts
# in an empty root. Those warnings are filtered; anything else is shown.
$(REL_BIN): $(REL_BIN).migrations.o $(REL_BIN).buildinfo.o $(REL)/nogss.o $(REL)/libretort.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(REL_CFLAGS) $(REL_LDFLAGS) -o $@ $^ $(REL_LIBS) 2>$@.log; rc=$$?; \
		grep -v -e 'in statically linked applications requires' -e ': in function ' $@.log >&2; \
		rm -f $@.log; exit $$rc

release: $(REL_BIN)
	$(Q)cd $(REL) && sha256sum $(MIGRATOR)

FORCE:
.PHONY: release FORCE

# ---- install: retort, and the runtime `retort build` links with -------------
# make install [PREFIX=/usr/local] [DESTDIR=]   make uninstall   make deb
#
# retort build finds the runtime under $RETORT_PREFIX, else the directory
# above its own (gen/build.h): PREFIX/lib/retort holds the everyday and the
# release (static) runtime libraries, nogss.o and buildinfo.c, compiled by
# retort build per migrator; PREFIX/include/retort the headers. The same
# layout is staged in $(B)/prefix for the tests and for `retort build` run
# from this tree (RETORT_PREFIX=$(B)/prefix).
PREFIX  ?= /usr/local
DESTDIR ?=
# file in the staged layout: source
INSTALL_FILES := bin/retort:$(B)/retort \
                 lib/retort/libretort.a:$(RT_LIB) \
                 lib/retort/libretort-static.a:$(REL)/libretort.a \
                 lib/retort/nogss.o:$(REL)/nogss.o \
                 lib/retort/buildinfo.c:runtime/buildinfo.c \
                 include/retort/migration.h:runtime/migration.h \
                 include/retort/buildinfo.h:runtime/buildinfo.h \
                 share/man/man1/retort.1:$(B)/man/retort.1 \
                 share/man/man1/retort-migrator.1:$(B)/man/retort-migrator.1 \
                 share/doc/retort/README.md:README.md \
                 $(foreach d,$(sort $(wildcard docs/*.md)),share/doc/retort/$(d):$(d))
INSTALL_SRC   := $(foreach f,$(INSTALL_FILES),$(word 2,$(subst :, ,$(f))))

# The man pages are printed by the binaries from the tables their --help
# and completion come from (`manpage`, runtime/cmdspec.h), the migrator's
# by one built from the example folder under the name the docs use. Dated
# SOURCE_DATE_EPOCH, else the last commit: the same tree, the same bytes.
MAN_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null))
$(eval $(call migrator,$(B)/man/migrate,migrations))

$(B)/man/retort.1: $(B)/retort
	$(call msg,MAN,$@)
	$(Q)mkdir -p $(@D) && SOURCE_DATE_EPOCH=$(MAN_EPOCH) $(B)/retort manpage >$@.tmp && mv $@.tmp $@

$(B)/man/retort-migrator.1: $(B)/man/migrate
	$(call msg,MAN,$@)
	$(Q)SOURCE_DATE_EPOCH=$(MAN_EPOCH) $(B)/man/migrate manpage >$@.tmp && mv $@.tmp $@

# $(call install_to,ROOT): copy every file into ROOT, executables 0755.
define install_to
	$(Q)set -e; for f in $(INSTALL_FILES); do \
		dst='$(1)'/$${f%%:*} src=$${f#*:}; mode=0644; \
		case $$dst in */bin/*) mode=0755;; esac; \
		install -d "$$(dirname "$$dst")" && install -m $$mode "$$src" "$$dst"; \
	done
endef

$(B)/prefix/.staged: $(INSTALL_SRC)
	$(call msg,STAGE,$(B)/prefix)
	$(call install_to,$(B)/prefix)
	$(Q)touch $@

install: $(INSTALL_SRC)
	$(call install_to,$(DESTDIR)$(PREFIX))

uninstall:
	$(Q)for f in $(INSTALL_FILES); do rm -f '$(DESTDIR)$(PREFIX)'/$${f%%:*}; done
	$(Q)rmdir '$(DESTDIR)$(PREFIX)/lib/retort' '$(DESTDIR)$(PREFIX)/include/retort' \
		'$(DESTDIR)$(PREFIX)/share/doc/retort/docs' '$(DESTDIR)$(PREFIX)/share/doc/retort' 2>/dev/null || true

# The .deb installs into /usr; its Depends are what retort and `retort
# build` need (scripts/deb.sh). `apt install ./retort_*.deb` pulls them.
deb: $(INSTALL_SRC)
	$(Q)rm -rf $(B)/deb/root
	$(Q)$(MAKE) --no-print-directory install DESTDIR=$(abspath $(B))/deb/root PREFIX=/usr
	$(Q)scripts/deb.sh $(B)/deb/root $(B)/deb

.PHONY: install uninstall deb

# make test-recipes: docs/shipping.md's recipes (retort's image, a user's
# two-stage Dockerfile, the Kubernetes manifests, GitHub Actions, GitLab CI)
# run as written in a fresh Debian 12 root made by debootstrap, against a
# throwaway cluster (tests/docs/recipes.py). Minutes, and the network:
# .ci/run runs it after make test. The page's own block runs `make deb`.
test-recipes:
	$(Q)scripts/deps.sh debootstrap
	$(Q)B=$(B) tests/docs/recipes.sh

.PHONY: test-recipes

# make bench: not part of `make test` (minutes, and it wants quiet machines).
BENCH_DEPS := python3 python3-alembic python3-psycopg2 time

bench: $(B)/retort
	$(Q)scripts/deps.sh $(BENCH_DEPS)
	$(Q)B=$(B) bench/run.sh

# make bench-fleet: the fleet over 1,000 tenant schemas (bench/fleet.sh).
bench-fleet: $(B)/retort
	$(Q)scripts/deps.sh $(BENCH_DEPS)
	$(Q)B=$(B) bench/fleet.sh

# make bench-schema / bench-peers: the schema diff against migra (npm) and
# apgdiff (Debian): speed on 1,000 tables, and right answers on tests/schema/.
bench-schema: $(B)/retort
	$(Q)scripts/deps.sh bc npm
	$(Q)B=$(B) bench/schema.sh

bench-peers: $(B)/retort
	$(Q)scripts/deps.sh npm apgdiff
	$(Q)B=$(B) bench/peers.sh

.PHONY: bench bench-fleet bench-schema bench-peers

# ---- tests ------------------------------------------------------------------
# Unit suites link the stage they test; e2e suites drive real migrators built
# from tests/fixtures/NAME into build/tests/migrate-NAME.
GEN_TESTS := $(patsubst tests/%.c,%,$(wildcard tests/check_gen_*.c))
RT_TESTS  := $(patsubst tests/%.c,%,$(wildcard tests/check_rt_*.c))
E2E_TESTS := $(patsubst tests/%.c,%,$(wildcard tests/check_e2e_*.c))
FIXTURES  := $(notdir $(wildcard tests/fixtures/*))
FIXTURE_MIGRATORS := $(FIXTURES:%=$(B)/tests/migrate-%)
TEST_BINS := $(addprefix $(B)/tests/,$(GEN_TESTS) $(RT_TESTS) $(E2E_TESTS))

$(foreach f,$(FIXTURES),$(eval $(call migrator,$(B)/tests/migrate-$(f),tests/fixtures/$(f))))

# Alembic script folders for the differential test (tests/check_e2e_alembic.c).
ALEMBIC_DIRS := $(notdir $(patsubst %/versions,%,$(wildcard tests/alembic/*/versions)))
FIXTURE_MIGRATORS += $(ALEMBIC_DIRS:%=$(B)/tests/migrate-alembic-%)
$(foreach f,$(ALEMBIC_DIRS),$(eval $(call migrator,$(B)/tests/migrate-alembic-$(f),tests/alembic/$(f))))

# A chain of 20,000 revisions, generated rather than kept in git: commands
# at its head must finish (tests/check_e2e_graph.c), i.e. stay linear.
CHAIN_DIR := $(B)/tests/gen-chain20k
$(CHAIN_DIR)/versions: bench/gen.py
	$(call msg,GEN,$@)
	$(Q)rm -rf $(CHAIN_DIR) $(CHAIN_DIR).tmp && python3 bench/gen.py 20000 $(CHAIN_DIR).tmp --chain && \
		mv $(CHAIN_DIR).tmp/retort $(CHAIN_DIR) && rm -rf $(CHAIN_DIR).tmp
FIXTURE_MIGRATORS += $(B)/tests/migrate-chain20k
$(eval $(call migrator,$(B)/tests/migrate-chain20k,$(CHAIN_DIR)))
# Migrators regenerate from their folder's content at every make, so nothing
# else asks for the folder to exist first.
$(B)/tests/migrate-chain20k.migrations.c: $(CHAIN_DIR)/versions

# Test tables hold string literals in char *argv[] arrays: no -Wwrite-strings.
$(B)/tests/%.o: tests/%.c
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(filter-out -Wwrite-strings,$(ALL_CFLAGS)) $(PG_CPPFLAGS) -Igen -Iruntime -Itests -c -o $@ $<

$(addprefix $(B)/tests/,$(GEN_TESTS)): $(B)/tests/%: $(B)/tests/%.o $(B)/tests/testutil.o $(GEN_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(GEN_LIBS) $(CHECK_LIBS)

$(addprefix $(B)/tests/,$(RT_TESTS)): $(B)/tests/%: $(B)/tests/%.o $(B)/tests/testutil.o $(RT_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(RT_LIBS) $(CHECK_LIBS)

$(addprefix $(B)/tests/,$(E2E_TESTS)): $(B)/tests/%: $(B)/tests/%.o $(B)/tests/e2e.o $(B)/tests/testutil.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) -o $@ $^ -lpq $(CHECK_LIBS)

test-bins: $(B)/retort $(B)/$(MIGRATOR) $(REL_BIN) $(FIXTURE_MIGRATORS) $(TEST_BINS) \
           $(B)/prefix/.staged
.PHONY: test-bins

test: deps
	$(Q)$(MAKE) --no-print-directory test-bins
	$(Q)B=$(B) scripts/run-tests.sh $(TEST_BINS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)B=$(B) MIGRATOR=$(MIGRATOR) scripts/demo.sh

deps:
	$(Q)scripts/deps.sh

# ---- hostile input: fuzzing and sanitizers ------------------------------------
# make fuzz        every tests/fuzz/fuzz_NAME.c as a libFuzzer target (clang,
#                  ASan + UBSan) in $(B)/fuzz, each run FUZZ_SECONDS from its
#                  seed corpus and past crashes; any crash, leak, hang or
#                  sanitizer report fails (tests/fuzz/run.sh)
# make asan-test   the whole suite (generator, runtime, migrators, tests)
#                  built with ASan + UBSan into $(B)/asan and run
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DEPS    := clang libclang-rt-14-dev
FUZZ_B       := $(B)/fuzz
SAN_FLAGS    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(STD) $(WARN) -g -O1 $(SAN_FLAGS) -MMD -MP
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_B)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_GEN_OBJ := $(GEN_SRC:gen/%.c=$(FUZZ_B)/gen/%.o) $(GEN_RE:gen/%.re=$(FUZZ_B)/gen/%.o) \
                $(FUZZ_B)/rt/cmdspec.o $(GEN_SHARED:%=$(FUZZ_B)/gen/rt/%.o)

$(FUZZ_B)/gen/%.c: gen/%.re
	$(call msg,RE2C,$@)
	@mkdir -p $(@D)
	$(Q)$(RE2C) -W --no-generation-date --no-version -o $@.tmp $< && mv $@.tmp $@

$(FUZZ_B)/gen/%.o: $(FUZZ_B)/gen/%.c
	$(call msg,FUZZCC,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -I$(<D:$(FUZZ_B)/%=%) -Igen -Iruntime -c -o $@ $<

$(FUZZ_B)/gen/rt/%.o: runtime/%.c
	$(call msg,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Iruntime -c -o $@ $<

$(FUZZ_B)/gen/%.o: gen/%.c
	$(call msg,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Igen -Iruntime -c -o $@ $<

$(FUZZ_B)/rt/%.o: runtime/%.c
	$(call msg,FUZZCC,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Iruntime -c -o $@ $<

$(FUZZ_B)/%: tests/fuzz/%.c $(FUZZ_GEN_OBJ)
	$(call msg,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Igen -Iruntime -Itests/fuzz \
		-o $@ $< $(FUZZ_GEN_OBJ) $(GEN_LIBS)

# Kept between runs, although only pattern rules name them.
.SECONDARY: $(FUZZ_GEN_OBJ) $(GEN_RE:gen/%.re=$(FUZZ_B)/gen/%.c)

fuzz:
	$(Q)scripts/deps.sh $(FUZZ_DEPS)
	$(Q)$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	$(Q)FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_B) $(FUZZ_TARGETS)

# LeakSanitizer is on (the default on Linux, said here so it stays so): the
# generator and every migrator run must free what they allocate. Sanitized
# code runs several times slower: Check's hang guards get four times longer.
asan-test:
	$(Q)ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
		UBSAN_OPTIONS=print_stacktrace=1 CK_TIMEOUT_MULTIPLIER=4 \
		$(MAKE) --no-print-directory B=$(B)/asan CFLAGS='-O1 -g $(SAN_FLAGS)' test

.PHONY: fuzz asan-test

clean:
	rm -rf $(B)

# ($(B)/recipes holds Debian roots: make test-recipes.)
-include $(shell find $(B) -path $(B)/recipes -prune -o -name '*.d' -type f -print 2>/dev/null)
