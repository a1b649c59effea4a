package labels

// Stance values. Every target of the default taxonomy uses these three, in
// this order; index 0 is favor, 1 against, 2 none.
const (
	Favor   = "favor"
	Against = "against"
	None    = "none"
)

// DefaultValues is the value list of every default target, in index order.
var DefaultValues = []string{Favor, Against, None}

// Target is one stance target: a name used as a CSV column, a description
// (used by annotators and by the keyword baseline) and its allowed values.
// Values always holds favor, against and none in that order.
type Target struct {
	Name        string
	Description string
	Values      []string
}

// Taxonomy is the ordered list of targets a model labels. Slices that hold
// one entry per target (Gold.Labels, Prediction.Values, ...) are aligned
// with Targets.
type Taxonomy struct {
	Targets []Target
}

// Names returns the target names in order.
func (t Taxonomy) Names() []string {
	out := make([]string, len(t.Targets))
	for i, tg := range t.Targets {
		out[i] = tg.Name
	}
	return out
}

// Index returns the position of the named target, or -1.
func (t Taxonomy) Index(name string) int {
	for i, tg := range t.Targets {
		if tg.Name == name {
			return i
		}
	}
	return -1
}

// ValueIndex returns the position of value v among target i's values, or -1.
func (t Taxonomy) ValueIndex(i int, v string) int {
	for j, x := range t.Targets[i].Values {
		if x == v {
			return j
		}
	}
	return -1
}
