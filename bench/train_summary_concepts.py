"""Train the summary's concept model (`newsfold.story.summary.ConceptModel`) and check it by topic folds.

    python bench/train_summary_concepts.py [--folds 5] [--C 1.0]

Labels: there are no human abstracts in ../shared, so, as in bench/bench_summary.py, a held-out document's
first 100 words are the reference: for each ECB+ dev event with >= 4 documents and each document held
out, the concepts (`concept_features`, kept by `min_df` as the summary keeps them) of the other documents
are the examples, labelled 1 when the reference holds them. Logistic regression (scikit-learn, L2, C=1):
Hong & Nenkova 2014 train word importance the same way, on features of where and how often a word
appears in the input, with the human summaries as labels.

Checks, each with models fitted without the test topics (GroupKFold by ECB+ topic, so no event of a
test topic, nor its sibling event, was seen in training):
- loo: bench_summary.py's check (ECB+ events >= 4 documents, the first 3 documents held out in turn,
  100 words, ROUGE-2 recall against the held-out lead), the learned weights beside ICSISumm's counts;
- multi: closer to DUC 2004 (10 documents, several references): ECB+ events with >= 8 documents, the
  first 3 held out as three references at once, the summary of (up to) 10 of the rest scored against
  each and averaged.
Then the model is fitted on every event and its coefficients printed, to be pasted into
`newsfold.story.summary.CONCEPT_MODEL`.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from rouge_score import rouge_scorer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from bench_summary import WORDS, ecb_clusters
from newsfold.models import Article
from newsfold.settings import StorySettings
from newsfold.story.sentences import story_sentences
from newsfold.story.summary import (
    FEATURES,
    ConceptModel,
    concept_features,
    concept_weights,
    sentence_concepts,
    summarize,
)

SETTINGS = StorySettings(summary_words=WORDS, fill_with_cut_sentence=True)


def _reference(article: Article) -> str:
    return " ".join(" ".join(article.paragraphs).split()[:WORDS])


def examples(docs: Sequence[Article]) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every held-out split of one event."""
    xs, ys = [], []
    for k, held in enumerate(docs):
        rest = docs[:k] + docs[k + 1 :]
        sentences = story_sentences(rest)
        concepts, features, _ = concept_features(sentences, {}, SETTINGS)
        wanted = sentence_concepts(_reference(held))
        xs.append(features)
        ys.append(np.array([c in wanted for c in concepts], dtype=float))
    return np.concatenate(xs), np.concatenate(ys)


def fit(data: Sequence[tuple[np.ndarray, np.ndarray]], c: float) -> ConceptModel:
    """The model fitted on `examples` of some events."""
    x = np.concatenate([x for x, _ in data])
    y = np.concatenate([y for _, y in data])
    model = LogisticRegression(C=c, max_iter=2000).fit(x, y)
    return ConceptModel(tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0]))


def _summary(docs: Sequence[Article], model: ConceptModel | None) -> str:
    sentences = story_sentences(docs)
    weights = concept_weights(sentences, {}, SETTINGS, model=model)
    return " ".join(s.text for s in summarize(sentences, {}, SETTINGS, weights))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--C", type=float, default=1.0)
    args = parser.parse_args(argv)
    events = ecb_clusters()
    topic = [docs[0].id.split("_")[0] for docs in events]
    topics = sorted(set(topic))
    fold_of = {t: k % args.folds for k, t in enumerate(topics)}
    scorer = rouge_scorer.RougeScorer(["rouge2"], use_stemmer=True)
    scores: dict[str, list[float]] = defaultdict(list)
    aucs = []
    data = [examples(docs) for docs in events]
    for fold in range(args.folds):
        train = [d for d, t in zip(data, topic, strict=True) if fold_of[t] != fold]
        test = [docs for docs, t in zip(events, topic, strict=True) if fold_of[t] == fold]
        model = fit(train, args.C)
        held = [d for d, t in zip(data, topic, strict=True) if fold_of[t] == fold]
        x, y = np.concatenate([x for x, _ in held]), np.concatenate([y for _, y in held])
        aucs.append(roc_auc_score(y, model.probabilities(x)))
        for docs in test:
            for name, m in (("learned", model), ("icsisumm", None)):
                for k, held in enumerate(docs[:3]):
                    rest = docs[:k] + docs[k + 1 :]
                    scored = scorer.score(_reference(held), _summary(rest, m))
                    scores[f"loo {name}"].append(scored["rouge2"].recall * 100)
                if len(docs) >= 8:
                    summary = _summary(docs[3:13], m)
                    recall = [scorer.score(_reference(h), summary)["rouge2"].recall for h in docs[:3]]
                    scores[f"multi {name}"].append(float(np.mean(recall)) * 100)
    n = sum(len(y) for _, y in data)
    positives = sum(y.sum() for _, y in data)
    print(f"{len(events)} events, {n} concept examples ({positives:.0f} in their reference)")
    print(f"concept AUC by topic folds: {np.mean(aucs):.3f} ({', '.join(f'{a:.3f}' for a in aucs)})")
    for name, values in scores.items():
        v = np.array(values)
        print(f"{name:15s} R2-R {v.mean():6.2f} ± {v.std(ddof=1) / np.sqrt(len(v)):4.2f}  (n={len(v)})")
    final = fit(data, args.C)
    print("CONCEPT_MODEL = ConceptModel(")
    print("    coefficients=(")
    for name, value in zip(FEATURES, final.coefficients, strict=True):
        print(f"        {value:.4f},  # {name}")
    print("    ),")
    print(f"    intercept={final.intercept:.4f},")
    print(")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
