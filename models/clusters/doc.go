// Package clusters learns word embeddings from unlabelled text and
// clusters the words at several granularities, so that a classifier can
// give a word its labels never saw the weight of the words it clusters
// with ("sanctions" with "embargo"). `stance pretrain` writes the clusters
// file; `stance train -clusters` reads it.
//
// # Words
//
// A word is what labels.Words finds: a maximal run of letters and digits
// (labels.IsWordRune), each rune lower-cased on its own with
// unicode.ToLower. A caller looking a word up must lower-case it the same
// way; IsWord tells whether a string is such a word.
//
// # What Learn does
//
// Learn reads the sentences once and keeps the corpus in memory as a
// stream of word ids (4 bytes a word, each sentence ended by a
// separator). Words seen fewer than Config.MinCount times, and all but the
// Config.MaxWords most frequent when that is set, are then dropped from
// the stream, as word2vec drops words outside its vocabulary: they
// neither train nor get clusters, and the words around them become
// neighbours. Then, word2vec's skip-gram with negative sampling:
//
//   - a frequent word is subsampled, kept with probability
//     (sqrt(f/(t·N))+1)·t·N/f, where f is its count, N the count of all
//     kept words and t = Config.Subsample;
//   - each kept word predicts the words within a window drawn uniformly
//     from 1..Config.Window, never across a sentence end (a sentence
//     longer than 1,000 words is cut into pieces of 1,000);
//   - each (word, context) pair is one logistic update against the
//     context word and Config.Negative words drawn from the unigram
//     distribution raised to 0.75 (Walker's alias method);
//   - the learning rate decays linearly from Config.LR to Config.LR·1e-4
//     over all Config.Epochs passes.
//
// The input vectors are then normalised to unit length and clustered at
// each of Config.Levels with spherical k-means: cosine similarity,
// centroids the normalised means of their words, seeded by k-means++
// (with 1 − cosine as the squared distance), then Lloyd iterations until
// no word changes cluster or 20 iterations. A cluster left empty takes
// the word that fits its own cluster worst. Each level is clustered on
// its own, so the clusters of two levels need not nest.
//
// # Threads and reproducibility
//
// Config.Threads workers each train on a contiguous part of the stream,
// updating the shared vectors without locks (Hogwild, as word2vec does);
// their writes may interleave and the learning rate follows a shared
// counter, so runs with more than one thread differ. With Threads = 1 the
// same sentences, Config and Seed give the same Clusters. K-means is
// deterministic at any number of threads: given the vectors, its result
// depends on the seed alone.
//
// # The clusters file
//
// A tab-separated text file in UTF-8: a header line "word" followed by
// one column "c<k>" per level of k clusters, then one line per word: the
// word, then its cluster at each level, a decimal in 0..k−1. Words are
// distinct and each is one lower-case word; Learn writes them by
// descending frequency, ties by word, but a reader takes any order.
//
//	word	c64	c256	c1024
//	the	12	201	877
//	moscow	40	17	311
//
// WriteTSV writes it, ReadTSV reads and checks it, naming the line of
// every problem.
package clusters
