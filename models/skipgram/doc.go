// Package skipgram learns token embeddings from unlabelled text with
// skip-gram and negative sampling (the word2vec / fastText recipe) over the
// subword tokens of pipeline/subword, and reads and writes them as an
// embedding file that `stance train -init-embeddings` can start from.
//
// # Pipeline
//
// Pretrain makes two streaming passes over the text: the first trains the
// tokenizer (subword.Train), the second tokenises the corpus on all cores
// into a Stream, a compact uint16 token sequence (2 bytes a token, 76 MB
// for the 38 M tokens of the UN General Debate corpus) with a separator at
// every paragraph end. TrainStream then runs the epochs over the Stream:
//
//   - frequent tokens are subsampled (kept with probability
//     (sqrt(f/(t·N))+1)·t·N/f, word2vec's formula, t = Config.Subsample);
//     tokens seen fewer than Config.MinCount times are skipped;
//   - each kept token predicts the tokens within a window drawn uniformly
//     from 1..Config.Window, never across a paragraph end;
//   - each (centre, context) pair is one logistic update against the
//     context token and Config.Negative tokens drawn from the unigram
//     distribution raised to 0.75;
//   - the learning rate decays linearly from Config.LR to 0 over all
//     epochs (floored at LR·1e-4).
//
// # Threads and reproducibility
//
// Config.Threads workers each take a contiguous slice of the stream and
// update the shared input and output matrices without locks (Hogwild, as
// word2vec and fastText do). Their writes may interleave, and the learning
// rate follows a shared counter, so runs with more than one thread are not
// bit-reproducible. With Threads = 1 the same Stream, Config and Seed give
// bit-identical vectors. (The race detector reports the Hogwild writes, so
// the multi-threaded test is skipped under -race.)
//
// # Gorgonia or a plain loop
//
// The update is a plain-Go loop over the embedding rows, calling gonum's
// SSE assembly kernels for dot and axpy; gorgonia is not used. Profiled
// with `go test -run '^$' -bench 'SGNSStep(Loop|Gorgonia)$' -benchtime
// 300000x / 30000x -cpuprofile` (profile_test.go, 2026-11-23, 2-core Xeon
// shared with other jobs, so CPU samples rather than wall time): one SGNS
// step (one context token and 5 negatives, dim 100) costs 0.67 µs of CPU
// in the loop (200 ms for 300,001 steps, 0 allocations; 84% of it in
// f32.DotUnitary and f32.AxpyUnitary, the arithmetic itself) and 34 µs in
// a gorgonia tape machine built once (1.03 s for 30,001 steps, 251
// allocations and 11.6 KB a step): 70% of that time is
// tapeMachine.runall's per-op dispatch (execOp.exec, value allocation,
// shape checks, watchedLogf), 23% malloc and 17% scheduler/futex
// time of the garbage collector it provokes, and about 1% the
// matrix-vector arithmetic. At roughly 6 steps per token, gorgonia would
// cap training near 5,000 tokens/s per core, 50 times slower than the
// loop; its graph pays off for batched dense layers, not for single-row
// sparse updates.
//
// Two profile-driven choices: the negative sampler is Walker's alias
// method over the vocabulary (48 KB, stays in cache) instead of word2vec's
// large unigram table, whose random reads were the largest single cost;
// and the gonum kernels run dot about 3× and axpy 1.6× faster than plain
// Go loops at dim 100 (BenchmarkDot, BenchmarkAxpy).
//
// # Speed
//
// bench/pretrain.sh, 2026-11-23 13:08 UTC, whole UN General Debate corpus
// (31.5 M whitespace words, 38.1 M tokens), one epoch, dim 100, window 5,
// 5 negatives, 2 threads, machine otherwise nearly idle: training ran at
// 982,000 words/s (1.19 M tokens/s); end to end (tokenizer pass,
// tokenising pass, training) 42.8 s wall, 65.5 s CPU, 328 MB peak RSS.
// fastText skipgram (no character n-grams) in the same run: 126,785
// words/sec/thread, 2:27 wall, 186 s CPU, 225 MB. Words/s counts every
// stream position, subsampled or not, as fastText does.
//
// # Files
//
// Save writes the embedding file atomically (temporary file, sync,
// rename); Load refuses files with another magic or version, truncated or
// failing their CRC-32. The layout is described in format.go.
//
// The corpus comes in as an iter.Seq2[string, error] of texts; the command
// feeds it pipeline.SentenceTexts, so every ingest format works.
package skipgram
