// Package suggest chooses the sentences whose labels would teach a model
// most, with near-duplicate filtering and a spread across documents and
// years. It is the library behind `stance suggest` and the
// active-learning simulation (bench/active).
//
// The pieces, in the order data flows through them:
//
//   - batch.Inputs (package pipeline/batch, shared with `stance
//     classify`) turns files (sentence CSVs or documents of any ingest
//     format) into a stream of batch units;
//   - batch.Run classifies the stream in batches with any
//     labels.Classifier (a *models.Model in the CLI, a fake in tests), and
//     the caller offers each sentence with its prediction to a Selector
//     (Selector.Add; the package itself classifies nothing);
//   - the Selector scores each candidate by its Strategy and keeps the
//     Options.Pool best (memory is bounded by the pool, not the corpus);
//     Select filters them into at most N picks;
//   - WriteTodo writes the picks in the gold label format with empty
//     target cells, a suggested_reason and the model's guesses, so that a
//     filled-in file merges back with labels.Merge.
//
// # Strategies
//
// Mixed (the default) gives half the picks to Targets and half to Rare.
//
// Targets and Decision are uncertainty sampling at the model's real
// decision boundary. Stance values are rare (about one sentence in four
// of the gold file carries any), so a class-weighted model decides
// "favor" long before p(favor) reaches p(none); plain Margin, on the
// calibrated probabilities, therefore picks sentences the model already
// calls a stance, and fills the labelled set with them. Decision scales
// each head's probabilities by the model's decision weights
// (Options.Scales, from models' DecisionScales) before taking the
// margin, so it picks sentences on either side of the boundary: hard
// negatives as well as doubtful positives. Targets does the same target
// by target, taking turns, so that every round brings sentences for every
// target.
//
// Rare hunts the values with the fewest labels. The score that matters
// to analysts, F_avg, averages favor's and against's F1, so a value with
// a dozen examples weighs as much as one with hundreds; bench/active's
// oracle arm, which reads the hidden labels to pick those rows first,
// shows that finding them is worth far more than any uncertainty.
// Each stance head ranks candidates by its probability and the heads
// share the picks in proportion to (1 + n)^−Rarity, n the head's
// labelled count (Options.Counts); a value never labelled cannot be
// ranked by its own probability, so its head takes the sentences most
// likely on the target at all, with the share of the rarest labelled
// value (the top share would hand most of the picks to a value that may
// simply not occur, as southern_flank: against in the gold file).
//
// # Description cues
//
// Targets, Rare and Mixed also read the taxonomy's descriptions (unless
// Options.NoCues): each ranking puts first the sentences with the most
// description words, counted by stem as the keyword baseline counts them
// (eval.KeywordRules): the target's topic words, plus the cue words of
// the value a Rare ranking hunts, or of both stance values for a Targets
// ranking. A description word that the labelled examples of the value
// contain (for Targets, examples of either stance) counts twice
// (CueCounter.Confirm): the guidelines name many words, and the
// analyst's labels show which of them this corpus uses for the stance.
// Among sentences with as many, the model's score decides
// (CueCounter.Score: words + confirmed words + score, the score in
// [0, 1]). With a few hundred labels
// the model ranks a rare value's sentences poorly (it has one or two
// examples of it) and finds many sentences uncertain that are about
// nothing; the guidelines already say which words carry each stance.
// bench/active measures the weighting: on its default split it lifts
// Mixed from 0.381 to 0.421 mean F_avg at 500 labels, random labelling
// scoring 0.331 there (BENCHMARKS.md; measured as a product (1 + words) ·
// score, which ranked the same way while the model's probabilities were
// squeezed near each value's base rate, and 0.420 with the sum on the
// calibration that spreads them); counting the confirmed words twice
// lifts it from 0.423 to 0.431, where random labelling needs 1,000
// labels for 0.423. On four other outer splits the gain is smaller: over
// all five, 0.408 → 0.413 at 500 labels, against 0.419 for random at
// 1,000.
// A target without a description is not weighed.
//
// Margin and Entropy are classic uncertainty sampling. Options.Explore
// mixes in a seeded random share with any strategy.
//
// How they compare is measured by bench/active (make bench-active) and
// recorded in out/bench/active.md.
//
// It works on predictions only (labels.Prediction) and never sees the
// model, so the same selection serves any classifier; the caller passes
// what it needs of the model (Scales) in Options.
package suggest
