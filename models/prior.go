package models

import "github.com/stance-project/stance/labels"

// nPrior is the number of description features per target.
const nPrior = 5

// priorFeatures computes a sentence's description features: per target,
// from the counts of the target's topic, favor and against stems in the
// sentence (labels.DescriptionCues), with m = 1 when the sentence
// mentions the target (a topic stem, or, for a description without a
// topic part, any cue stem) and f, a the favor and against counts capped
// at 3:
//
//	m·f, m·a, m, f, a
//
// They carry what the taxonomy's description says to every target, with
// no label needed. The description model (see objective) reads them with
// weights every target shares, learnt from the labelled targets; a target
// added with a description and zero labels is predicted by it.
type priorFeatures struct {
	ix       *labels.CueIndex
	topicLen []int // per target, the number of topic stems
}

func newPriorFeatures(tax labels.Taxonomy) priorFeatures {
	dc := labels.NewDescriptionCues(tax)
	p := priorFeatures{ix: dc.Index()}
	for _, ts := range dc.Topic {
		p.topicLen = append(p.topicLen, len(ts))
	}
	return p
}

// appendTo appends text's Targets × nPrior description features to dst,
// using sc as scratch.
func (p priorFeatures) appendTo(dst []float32, text string, sc *scratch) []float32 {
	sc.cues = p.ix.Count(text, sc.cues, &sc.cueScratch)
	for t, c := range sc.cues {
		var m float32
		if c.Topic > 0 || (p.topicLen[t] == 0 && c.Favor+c.Against > 0) {
			m = 1
		}
		f, a := float32(min(c.Favor, 3)), float32(min(c.Against, 3))
		dst = append(dst, m*f, m*a, m, f, a)
	}
	return dst
}

// priorMeans and priorBias are what the description model's weights and
// intercepts are pulled towards (Config.PriorL2): per feature (m·f, m·a,
// m, f, a) the favor, against and none logits. A mentioned target with
// one favor cue more than against cues gets favor, the reverse against,
// anything else none: the keyword baseline's rule, in logits. The
// labelled targets move the weights from there, so these matter most
// where few targets have labels.
var (
	priorMeans = [nPrior * nValues]float32{
		2, -1, 0, // m·f
		-1, 2, 0, // m·a
		0, 0, 0, // m
		0, 0, 0, // f
		0, 0, 0, // a
	}
	priorBias = [nValues]float32{-1, -1, 0}
)
