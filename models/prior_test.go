package models

import (
	"slices"
	"strings"
	"testing"

	"github.com/stance-project/stance/labels"
)

// A target whose column is empty is predicted from its description
// (Config.Prior): favor on sentences full of the description's favor
// words, against on its against words, none on unrelated sentences.
// Without the prior it never predicts a stance. The sentences are made
// of labels.Default()'s descriptions; none is in the fixture.
func TestTargetWithoutLabels(t *testing.T) {
	tax := labels.Default()
	cues := labels.NewDescriptionCues(tax)
	unrelated := []string{
		"The ocean economy offers new jobs for young people.",
		"We thank the President of the Assembly for his leadership.",
		"Water scarcity affects millions of people in our country.",
		"",
	}
	for _, tc := range []struct {
		target         int
		favor, against []string
	}{
		{
			target: 2, // defense_spending
			favor: []string{
				"We will raise defence budgets, share the burden as an obligation and build military capabilities and the defence industry.",
				"Our defence budget must raise capabilities and strengthen the defence industry through burden sharing.",
			},
			against: []string{
				"We oppose and doubt any increase of the defence budget; cut military expenditure and pursue disarmament.",
				"Disarmament, not defence budget increases: we oppose more military expenditure.",
			},
		},
		{
			target: 0, // russia_dialogue
			favor: []string{
				"Dialogue and engagement with Russia: détente, partnership and cooperation with Moscow, easing and lifting sanctions.",
				"We call for dialogue with Russia, a bridge between East and West, and partnership with Moscow as mediator.",
			},
			against: []string{
				"Keeping, extending and tightening sanctions, isolating Russia and deterring Russia as a threat.",
				"No business as usual with Russia: tighten sanctions, isolate and deter the Russian threat.",
			},
		},
	} {
		name := tax.Targets[tc.target].Name
		t.Run(name, func(t *testing.T) {
			for _, s := range tc.favor {
				if c := cues.Cues(s)[tc.target]; c.Favor <= c.Against {
					t.Fatalf("test sentence %q: cues %+v, want more favor than against", s, c)
				}
			}
			for _, s := range tc.against {
				if c := cues.Cues(s)[tc.target]; c.Against <= c.Favor {
					t.Fatalf("test sentence %q: cues %+v, want more against than favor", s, c)
				}
			}
			rows := withoutLabels(readFixture(t), tc.target)
			for _, prior := range []bool{true, false} {
				cfg := fixtureConfig()
				cfg.Prior = prior
				m, sum := trainRows(t, cfg, rows)
				want := name + ": no labels: predicted from its description alone"
				if !prior {
					want = name + ": no labels and no description prior (Config.Prior): never predicts a stance"
				}
				if !slices.Contains(sum.Warnings, want) {
					t.Errorf("prior %v: warnings %q lack %q", prior, sum.Warnings, want)
				}
				if got := m.w.Cue != nil; got != prior {
					t.Errorf("prior %v: description weights %v", prior, got)
				}
				for tg := range tax.Targets {
					if tg != tc.target && m.w.Cue != nil && slices.ContainsFunc(m.w.Cue[tg*nPrior*nValues:(tg+1)*nPrior*nValues], func(x float32) bool { return x != 0 }) {
						t.Errorf("prior %v: labelled target %d has description weights", prior, tg)
					}
				}
				check := func(texts []string, want string) {
					t.Helper()
					if !prior {
						want = "none"
					}
					for _, s := range texts {
						p := m.PredictOne(s)
						if got := p.Values[tc.target]; got != want {
							t.Errorf("prior %v: %q: %s, want %s (probabilities %.3f, scales %v)", prior, s, got, want, p.Probs[tc.target], m.scale[tc.target])
						}
					}
				}
				check(tc.favor, "favor")
				check(tc.against, "against")
				check(unrelated, "none")
				if !prior {
					if th := m.scale[tc.target]; th != [2]float64{} {
						t.Errorf("no prior: scales %v, want never (0, 0)", th)
					}
					continue
				}
				// Explain attributes the decision to the description's
				// words too, and stays exact.
				cs := checkExplain(t, m, tc.favor[0], tc.target)
				if !slices.ContainsFunc(cs, func(c labels.Contribution) bool { return strings.HasPrefix(c.Token, DescriptionCues) && c.Score > 0 }) {
					t.Errorf("Explain of %q: %v lacks a positive description contribution", tc.favor[0], cs)
				}
			}
		})
	}
}

// A target whose labels all sit in one document: the fold model holding
// that document out saw none, so those rows do not calibrate the target,
// and the summary says so.
func TestTargetLabelledInOneDocument(t *testing.T) {
	rows := slices.Clone(readFixture(t))
	doc := rows[0].DocID
	for i := range rows {
		if rows[i].DocID != doc {
			rows[i].Labels = slices.Clone(rows[i].Labels)
			rows[i].Labels[2] = ""
		}
	}
	m, sum := trainRows(t, fixtureConfig(), rows)
	if !slices.ContainsFunc(sum.Warnings, func(w string) bool {
		return strings.HasPrefix(w, "defense_spending: all its labels are in the documents of fold")
	}) {
		t.Errorf("warnings %q lack the one about defense_spending's labels", sum.Warnings)
	}
	if n := m.DevMetrics()[2].N; n != 0 {
		t.Errorf("defense_spending calibrated on %d rows of a fold model that saw none of its labels", n)
	}
}
