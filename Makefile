# stance: see README.md. Everything here works on a fresh machine with Go
# installed; targets that need ../shared say so and fall back where they can.

GO      ?= go
BIN     := bin/stance
SHARED  ?= ../shared
OUT     ?= out

.PHONY: all build test vet demo bench bench-ingest bench-peers bench-zeroshot bench-active fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/stance

# The README's test command; .ci/run calls exactly this.
test:
	$(GO) vet ./...
	$(GO) test ./...

vet:
	$(GO) vet ./...

# The main job, end to end. Uses ../shared when present, examples/ otherwise.
demo: build
	SHARED=$(SHARED) OUT=$(OUT) BIN=$(BIN) bash examples/demo.sh

# Speed and memory goals live here, never in timed unit tests.
bench: build $(OUT)/clusters-shared.tsv
	$(GO) test -run '^$$' -bench . -benchmem ./...
	SHARED=$(SHARED) BIN=$(BIN) CLUSTERS=$(OUT)/clusters-shared.tsv bash bench/classify.sh
	SHARED=$(SHARED) BIN=$(BIN) bash bench/report.sh

bench-ingest: build
	SHARED=$(SHARED) BIN=$(BIN) bash bench/ingest.sh

# The five-fold peer table: stance with and without word clusters,
# fastText with and without pretrained vectors, TF-IDF+LR. The clusters
# and the fastText vectors are made once (delete to redo).
bench-peers: build $(OUT)/ft.vec $(OUT)/clusters-shared.tsv
	SHARED=$(SHARED) BIN=$(BIN) OUT=$(OUT) FT_VECTORS=$(OUT)/ft.vec CLUSTERS=$(OUT)/clusters-shared.tsv bash bench/peers.sh

$(OUT)/ft.vec: | build
	SHARED=$(SHARED) BIN=$(BIN) OUT=$@ bash bench/ftvectors.sh

# Word clusters learnt on the whole corpus (stance pretrain), when present;
# the file make demo learns on the shared data, so either reuses the other's.
$(OUT)/clusters-shared.tsv: | build
	@if [ -f $(SHARED)/corpus/ungdc.jsonl.gz ]; then $(BIN) pretrain -out $@ $(SHARED)/corpus/ungdc.jsonl.gz; \
	else echo "$(SHARED)/corpus/ungdc.jsonl.gz not found: no word clusters"; fi

# A target with zero labels, predicted from its description: each default
# target hidden in turn, against the keyword baseline.
bench-zeroshot: build
	SHARED=$(SHARED) BIN=$(BIN) bash bench/zeroshot.sh

bench-active: build
	SHARED=$(SHARED) BIN=$(BIN) bash bench/active.sh

# Fuzzing of every reader of outside input: 60 s for the gold label reader,
# FUZZTIME (at least 30 s) each for the others (package:function pairs).
# Go 1.26's fuzz coordinator can fail a run that found nothing with a bare
# "context deadline exceeded" as -fuzztime ends (go.dev/issue/75804, fixed
# in Go 1.27): a failure with that message and no failing input written
# counts as passed, any other failure stops make fuzz.
FUZZTIME ?= 30s
FUZZERS = ./labels:FuzzReadGold@60s ./labels:FuzzCueIndex \
	./pipeline:FuzzReadJSONL ./pipeline:FuzzReadCSV ./pipeline:FuzzSplitSentences \
	./pipeline:FuzzNormalizeDate ./pipeline/batch:FuzzReadSentences ./pipeline/batch:FuzzReadLines \
	./pipeline/batch:FuzzClassifyCSV ./pipeline/subword:FuzzLoad ./pipeline/subword:FuzzIDs \
	./models:FuzzRead ./models/clusters:FuzzReadTSV ./eval:FuzzReadMetrics ./eval/trends:FuzzRead
fuzz:
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	for pf in $(FUZZERS); do \
	  pkg=$${pf%%:*}; fn=$${pf#*:}; t=$(FUZZTIME); \
	  case $$fn in *@*) t=$${fn#*@}; fn=$${fn%@*};; esac; \
	  echo "== $$pkg $$fn ($$t)"; \
	  if $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $$t "$$pkg" >"$$log" 2>&1; then cat "$$log"; continue; fi; \
	  cat "$$log"; \
	  if grep -qx '    context deadline exceeded' "$$log" && ! grep -q 'Failing input written' "$$log"; then \
	    echo "(counted as passed: the deadline race of go.dev/issue/75804, no failing input)"; continue; fi; \
	  exit 1; \
	done

clean:
	rm -rf bin $(OUT)
