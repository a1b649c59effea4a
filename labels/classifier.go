package labels

// Classifier predicts stances for sentences: Predict returns one
// prediction per text, aligned with texts, with Values (and Probs, if the
// classifier has them) aligned with the classifier's taxonomy. Batch
// classification, suggestions and evaluation all take one; the first two
// call Predict from several goroutines, so theirs must be safe for
// concurrent use. *models.Model satisfies it.
type Classifier interface {
	Predict(texts []string) ([]Prediction, error)
}

// Contribution is one token's push towards a value of a target, as a
// classifier's explanation reports it. Token is a word of the sentence
// (lower case) or a name the explainer gives to what no single word
// carries; Score is in the model's own units, positive pushing towards
// Value (for models.Model, the token's share of the calibrated logit of
// Value minus that of none); Value is "" if the explainer does not say.
type Contribution struct {
	Token string
	Value string
	Score float64
}
