package labels

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DescriptionCues are the words of each target's description that a
// stance is usually carried by: the one reading of a description that the
// keyword baseline, the model's prior and suggest's ranking share. Each
// description is read as
//
//	<topic sentence(s)> Favor: <favor cues> Against: <against cues>
//
// (the form of Default; "Favor:" and "Against:" match case insensitively,
// and either may be missing). Its content words — letters only, at least
// four of them, not a stop word — are cut to a stem of their first six
// letters (so "sanction" and "sanctions" match). Stems in both the favor
// and the against part are dropped from both; stems of the topic part are
// dropped from the cue parts. A target whose description has no Favor or
// Against part uses GenericFavorCues and GenericAgainstCues.
type DescriptionCues struct {
	Topic   [][]string // per target, sorted stems
	Favor   [][]string
	Against [][]string
	// Generic marks, per target, cues that are GenericFavorCues and
	// GenericAgainstCues: its description names none.
	Generic []bool
}

// GenericFavorCues and GenericAgainstCues are the cue words of a target
// whose description names no favor or against cues.
var (
	GenericFavorCues   = []string{"support", "welcome", "strengthen", "increase", "commit", "need", "must", "favour", "favor", "endorse", "praise"}
	GenericAgainstCues = []string{"oppose", "reject", "against", "never", "refuse", "condemn", "criticise", "criticize", "stop", "reduce", "cut"}
)

const stemLen = 6

var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`about above after again also although among another because been before being
		below between both cannot could does doing down during each either even every from further have having here
		into itself just keep like made make many more most much must neither only other over same should since some
		such than that their them then there these they this those through under until upon very were what when where
		which while whom whose will with within without would your favor favour against none other others especially
		including rather whether`) {
		stopWords[w] = true
	}
}

// Stems returns the distinct stems of s's words as DescriptionCues read
// them (lower-cased words of at least four letters, stop words left out,
// each cut to its first six letters), sorted.
func Stems(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) < 4 || stopWords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stem is w's first stemLen runes: a slice of w, not a copy, so that
// counting a sentence's cues allocates no string per word.
func stem(w string) string {
	n := 0
	for i := range w {
		if n == stemLen {
			return w[:i]
		}
		n++
	}
	return w
}

// NewDescriptionCues reads the descriptions of tax's targets (see
// DescriptionCues).
func NewDescriptionCues(tax Taxonomy) *DescriptionCues {
	k := &DescriptionCues{}
	for _, tg := range tax.Targets {
		topic, fav, ag := splitDescription(tg.Description)
		ts, fs, as := Stems(topic), Stems(fav), Stems(ag)
		generic := fav == "" && ag == ""
		if generic {
			fs, as = stemAll(GenericFavorCues), stemAll(GenericAgainstCues)
		}
		drop := func(xs []string, out ...[]string) []string {
			return slices.DeleteFunc(slices.Clone(xs), func(x string) bool {
				for _, o := range out {
					if _, ok := slices.BinarySearch(o, x); ok {
						return true
					}
				}
				return false
			})
		}
		k.Generic = append(k.Generic, generic)
		k.Topic = append(k.Topic, ts)
		k.Favor = append(k.Favor, drop(fs, as, ts))
		k.Against = append(k.Against, drop(as, fs, ts))
	}
	return k
}

func stemAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = stem(w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// splitDescription cuts a description at "Favor:" and "Against:".
func splitDescription(d string) (topic, fav, ag string) {
	low := strings.ToLower(d)
	fi := strings.Index(low, "favor:")
	if fi < 0 {
		fi = strings.Index(low, "favour:")
	}
	ai := strings.Index(low, "against:")
	switch {
	case fi < 0 && ai < 0:
		return d, "", ""
	case fi < 0:
		return d[:ai], "", d[ai+len("against:"):]
	case ai < 0:
		return d[:fi], d[fi+strings.Index(low[fi:], ":")+1:], ""
	case fi < ai:
		return d[:fi], d[fi+strings.Index(low[fi:], ":")+1 : ai], d[ai+len("against:"):]
	default:
		return d[:ai], d[fi+strings.Index(low[fi:], ":")+1:], d[ai+len("against:") : fi]
	}
}

// CueCounts says how many distinct stems of a sentence are among one
// target's topic stems and among its favor and against cue stems.
type CueCounts struct{ Topic, Favor, Against int }

// Cues counts the stems of text that k knows, per target (aligned with
// the taxonomy's targets).
func (k *DescriptionCues) Cues(text string) []CueCounts { return k.CountStems(Stems(text), nil) }

// CountStems counts, per target, a text's stems as Stems returns them
// (distinct: a repeated stem would count twice) into dst (reused when it
// has room) and returns it.
func (k *DescriptionCues) CountStems(words []string, dst []CueCounts) []CueCounts {
	has := func(set []string) int {
		n := 0
		for _, w := range words {
			if _, ok := slices.BinarySearch(set, w); ok {
				n++
			}
		}
		return n
	}
	dst = slices.Grow(dst[:0], len(k.Topic))[:len(k.Topic)]
	for t := range k.Topic {
		dst[t] = CueCounts{Topic: has(k.Topic[t]), Favor: has(k.Favor[t]), Against: has(k.Against[t])}
	}
	return dst
}

// CueIndex counts a text's description cues as CountStems(Stems(text))
// does, without building the stems: for counting every sentence of a
// batch. Build it with DescriptionCues.Index; it is safe for concurrent
// use, each goroutine passing its own CueScratch.
type CueIndex struct {
	targets int
	ids     map[string]int32 // stem → index in hits
	hits    [][]cueHit       // per stem, the lists it is in
}

type cueHit struct {
	target int32
	kind   uint8 // 0 topic, 1 favor, 2 against
}

// CueScratch is one goroutine's working memory for CueIndex.Count.
type CueScratch struct {
	word []byte
	seen []int32
}

// Index returns the CueIndex of k.
func (k *DescriptionCues) Index() *CueIndex {
	ix := &CueIndex{targets: len(k.Topic), ids: map[string]int32{}}
	for t := range k.Topic {
		for kind, set := range [][]string{k.Topic[t], k.Favor[t], k.Against[t]} {
			for _, s := range set {
				id, ok := ix.ids[s]
				if !ok {
					id = int32(len(ix.hits))
					ix.ids[s] = id
					ix.hits = append(ix.hits, nil)
				}
				ix.hits[id] = append(ix.hits[id], cueHit{int32(t), uint8(kind)})
			}
		}
	}
	return ix
}

// Count writes into dst (reused when it has room) the cue counts of text
// per target, equal to CountStems(Stems(text)), and returns it. It
// allocates nothing once sc has grown.
func (ix *CueIndex) Count(text string, dst []CueCounts, sc *CueScratch) []CueCounts {
	dst = slices.Grow(dst[:0], ix.targets)[:ix.targets]
	clear(dst)
	sc.seen = sc.seen[:0]
	word := sc.word[:0]
	runes, cut := 0, 0 // cut: byte length of the first stemLen runes
	flush := func() {
		if runes >= 4 && !stopWords[string(word)] {
			if id, ok := ix.ids[string(word[:cut])]; ok && !slices.Contains(sc.seen, id) {
				sc.seen = append(sc.seen, id)
				for _, h := range ix.hits[id] {
					c := &dst[h.target]
					switch h.kind {
					case 0:
						c.Topic++
					case 1:
						c.Favor++
					default:
						c.Against++
					}
				}
			}
		}
		word, runes, cut = word[:0], 0, 0
	}
	for _, r := range text {
		if unicode.IsLetter(r) {
			word = utf8.AppendRune(word, unicode.ToLower(r))
			if runes++; runes <= stemLen {
				cut = len(word)
			}
			continue
		}
		if runes > 0 {
			flush()
		}
	}
	if runes > 0 {
		flush()
	}
	sc.word = word
	return dst
}
