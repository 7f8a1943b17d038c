"""Every tuned default in one typed place, each with where its number came from.

One frozen dataclass per stage; a stage takes its settings as an argument that defaults to these.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadSettings:
    """Bounds on untrusted input."""

    # A page larger than this is cut (not rejected): no news article needs more, and it bounds memory.
    max_page_bytes: int = 8_000_000
    # Lines longer than this are cut before cleaning: 20x the longest paragraph seen in zyte gold bodies.
    max_line_chars: int = 100_000
    # A file larger than this is rejected unread (a WARC of a day's crawl is ~1 GB; a page is cut at
    # max_page_bytes anyway). Not tuned: a bound on what one input may cost, far above real files.
    max_file_bytes: int = 20_000_000_000
    # Gzip input (.jsonl.gz, .warc.gz) is decompressed as a stream and stopped past this many bytes of
    # one file, a .warc.gz member past max_page_bytes + 1 MB (a record is one page and its headers), a
    # .html.gz page at max_page_bytes: a gzip bomb (1 MB -> 1 GB of zeros) is one error, not exhausted
    # memory. Not tuned: a bound far above real files (a day's crawl, ~1 GB gzipped, is ~5 GB unpacked).
    max_decompressed_bytes: int = 20_000_000_000
    # A .warc.gz record (one gzip member) is held until its member ends, to catch a cut file; one that
    # unpacks past this is skipped unread (one problem says how many): a bomb, a video, or a WARC gzipped
    # whole. Not tuned: 32x a page bound, memory one reader may hold.
    max_warc_record_bytes: int = 256_000_000
    # A JSONL line longer than this is one rejected record (read in chunks, never held whole): a record
    # holds one page (max_page_bytes) plus a few short fields, so 2x the page bound.
    max_jsonl_line_bytes: int = 16_000_000
    # A WARC file stops being read after this many records (one problem says so): a bound on one file's
    # work. Not tuned: Common Crawl's ~1 GB WARC files hold tens of thousands of records; this is 10x more.
    max_warc_records: int = 1_000_000
    # HTML elements nested this deep: libxml2 (under lxml and trafilatura) stops nesting at 256 and drops
    # what lies deeper, so the page is rejected with that reason rather than silently cut. Real pages
    # nest far less: the 181 zyte pages nest 17 deep at the median and 51 at most (lxml, counted here).
    max_html_depth: int = 255


@dataclass(frozen=True)
class LineSettings:
    """Defaults of the page-dump line classifier (newsfold.clean.lines); the model is trained separately."""

    # A short line on this many pages of a run is template; 3 keeps syndicated copies (2-3 pages sharing
    # real sentences, as in the seeds) apart from site chrome.
    template_min_pages: int = 3
    # Words at or under which a line counts as short for the template rule (menus, buttons, headings).
    template_short_words: int = 12
    # A long line on >= 2 pages of one site is the site's boilerplate (bios, disclaimers, promos) unless a
    # page holding it shares >= this share of its long lines with the site (a version of the same story).
    # A version of one story shares nearly all its long lines; zyte's same-site pairs (2 pages per site)
    # share 0-0.82 of theirs (teaser lists, bios), the most (0.82) by cbsnews's pair, kept apart by 0.8.
    site_copy_share: float = 0.8
    # ... or when every page holding the line shares >= this many long lines the model reads as body with
    # its site: one story captured twice beside different teasers and comments. Fundus's Taz article,
    # captured twice (6 and 8 such lines), lost its whole body as boilerplate. Below 6, pages whose
    # article the model misses keep their site's disclaimers (zyte CV with models trained on zyte alone,
    # bench_text_dumps.py: 5 lines 0.9232, 6 lines 0.9264 = the rule off); 7 loses Taz (Fundus 0.9298 ->
    # 0.9245, 5-fold CV by site, split 0).
    site_copy_lines: int = 6
    # Lines around the body span searched for captions (seeds: captions sit up to 4 lines from the body).
    caption_margin: int = 4
    # Lines before the first body line searched for the title (seeds: at most 10).
    title_window: int = 15
    # A standfirst is a lone sentence at most this many lines after the title (seed 002: 1).
    standfirst_gap: int = 3
    # A read-more link has at most this many words ("Read more »").
    read_more_words: int = 5
    # An excerpt page (`lines.excerpt_pages`): its headline, at most `excerpt_date_lines` date lines, at most
    # `excerpt_max_lines` lines of text, then its one read-more link. Aggregators print a story's lede or
    # its first paragraphs so; longer excerpts read as article text to the line model, one or two lines as
    # a teaser. 3 lines and 2 date lines ("Published ...", "2 hours ago") were not tuned.
    excerpt_max_lines: int = 3
    excerpt_date_lines: int = 2
    # Lines after the last body line searched for a wire contributor note (seeds: 1-2).
    contributor_gap: int = 3
    # Document-level fit (clean/line_fit.py). Judgement values checked on zyte folds
    # (bench/bench_text_dumps.py, cross-validated by site) and the seeds; none is fitted to a page.
    # Language fit: a body line of >= language_min_words words with no stopword of the body's language and
    # >= language_min_stops of another is not body.
    language_min_words: int = 5
    language_min_stops: int = 2
    # Topical fit: runs of body lines of <= off_topic_short_words tokens, with >= off_topic_min_words content
    # words pooled, of which at most off_topic_max_fit occur in the core (long prose body lines).
    off_topic_short_words: int = 15
    off_topic_min_words: int = 3
    off_topic_max_fit: float = 0.2
    # Cut excerpt start: a line of >= excerpt_min_words tokens just before the body, no final punctuation,
    # stopword share >= excerpt_min_stop_ratio (prose), >= excerpt_min_fit of its content words in the core,
    # and a stage-2 score >= excerpt_min_score.
    excerpt_min_words: int = 20
    excerpt_min_stop_ratio: float = 0.25
    excerpt_min_fit: float = 0.3
    excerpt_min_score: float = 0.02
    # Main text: body lines outside the page's heaviest stretch (max subarray of (score - 0.5) x words)
    # are dropped when their own stretch (lines <= main_text_gap apart) weighs < main_text_min_share of it.
    # zyte 5-fold CV by site (fold models fixed): off 0.9082, 0.2/2 0.9086, 0.5/5 0.9092, 1.0/5 0.9092.
    main_text_min_share: float = 0.5
    main_text_gap: int = 5
    # ... unless >= this share of its content words are the main text's: the article resumed after an
    # inserted block (other headlines, a video). 5-fold CV by site (fold models of 694e9e6): zyte 0.9298
    # -> 0.9294, Fundus 0.9273 -> 0.9286 (0.35: 0.9290 / 0.9291; 0.65: 0.9296 / 0.9279).
    main_text_resume_fit: float = 0.5
    # Comment thread: >= comment_min_headers short lines (<= comment_header_words tokens) holding a date or
    # a time, each <= comment_max_gap lines from the next, after the first long body line (0: off).
    # zyte 5-fold CV by site: off 0.9017, 3 headers 0.9082 (0.9075 before embedded posts' "@" lines were
    # excluded), 4 headers 0.9063; gap 8 or 12 the same.
    comment_min_headers: int = 3
    comment_header_words: int = 12
    comment_max_gap: int = 12
    # A page without chrome, ending in a sentence, whose text from its first sentence on is at least this
    # share of sentences is a clean record (`lines._clean_records`): it keeps every line but its metadata
    # lines. Not tuned ("mostly sentences"): of the ECB+ dev documents' lines, 5% of documents hold under
    # 0.71 sentences; of the zyte dumps' lines, 95% of pages under 0.44 (one page a record, cleaned alone).
    clean_record_prose_share: float = 0.5


@dataclass(frozen=True)
class CleanSettings:
    """Defaults of the clean stage (text dumps and HTML)."""

    # A text dump's headline, where its URL's slug names no line above the body: `titles.dump_title`'s
    # ranker instead of the line model's title. On since Dec 7 (wt-title15; main's figures in the same
    # runs): Fundus text dumps, exact title, 5-fold CV by publisher (bench_fundus.py's folds) 0.532 -> 0.647;
    # the syndication set's pages through the cleaner (run.py --bases fundus --hard, seeds 11-13: no URLs)
    # print their headline as the title 0.52-0.59 -> 0.96, pair F1 0.975/0.984/0.980 -> 0.980/0.988/0.989,
    # relations +0.001 each; ECB+ fold path, shipped cluster models, 0.9738 either way (the ranker first,
    # before the slug's line: 0.9678, titles replacing the URL lines whose slug words the models profit
    # from); fold-corpus-2400 stories BCubed 0.824 -> 0.836 (245 -> 236 stories). Cost: 0.047 of
    # clean_pages' CPU on the zyte dumps (0.097 before the cut of that session).
    rank_dump_titles: bool = True
    # HTML beyond this many characters is cut before parsing: bounds trafilatura's time on huge pages
    # (the largest zyte page is ~1.6 MB of markup).
    max_html_chars: int = 5_000_000
    # Text runs (HTML text nodes, dump lines) are cut to this length, as ReadSettings.max_line_chars.
    max_text_node_chars: int = 100_000
    # Use trafilatura's default pass when its precision pass keeps under this share of the default's words:
    # zyte F1 is flat for 0.1-0.3 (bench/bench_html.py --sweep, leave-one-site-out), 0.25 is mid-plateau.
    html_precision_floor: float = 0.25
    # How many lines at each edge of trafilatura's text may be trimmed as headline/date/furniture, and the
    # longest furniture line in words (a judgement call, not tuned: share/follow/comment lines are short).
    html_edge_lines: int = 4
    html_chrome_words: int = 25
    # A line found in this many pages of one site (this one included) is the site's template: the least
    # evidence there is (zyte holds at most 2 pages a site), guarded in clean by needing the same site.
    template_pages: int = 2
    # Bylines and date lines are looked for in the last this-many lines above the body (seeds: within 6).
    header_lines: int = 12
    # `newsfold ingest` cleans its new pages with the store's latest pages as context (template lines need
    # 2-3 pages of a run or a site, link lists other pages' headlines): this many per site of the new
    # pages, and this many of any site. Not tuned: bounds the extra work per ingest (each context page is
    # read again, ~20 ms for HTML) while giving the template rules the few pages they need.
    context_pages_per_site: int = 10
    context_pages_recent: int = 20
    # The page-dump line classifier's bars (a user's settings reach it through here).
    lines: LineSettings = LineSettings()


@dataclass(frozen=True)
class SyndicationSettings:
    """Defaults of the copy-detection stage, tuned on the dev half of bench/syndication (seed 7) only.

    Sweeps below are dev-half figures through newsfold.clean (pair F1 / relation accuracy) unless said;
    the held-out half was not used to choose any of them (bench/syndication/README.md).
    """

    # Substantive passage: sentence-shaped and at least this many words; only these weigh as evidence.
    # A cleaner's leftovers (headlines, section names, "Read more", teasers cut mid-word) are rarely both.
    # Dev: 6 / 8 / 10 -> 0.941 / 0.941 / 0.939 pair F1; 8 rather than 6 so that sentence-shaped chrome
    # ("Sign up for our daily newsletter.") stays noise.
    min_substantive_tokens: int = 8
    # A sentence held by more articles than this links only to the first few (boilerplate guard that keeps
    # candidates linear) and weighs nothing. Judgement, not tuned: below it (a small corpus) a shared
    # footer is not recognised as boilerplate.
    max_sentence_fanout: int = 20
    # ... unless it is a mass-syndicated story's: in at least this share of the article pairs it makes
    # (each holder with the first max_sentence_fanout), the two share min_containment of the smaller
    # one's substantive words verbatim, in min_shared_sentences sentences or more. Judgement, between
    # the two clear cases: on bench/out/scale-2500 every sentence printed by > 20 pages is one origin's
    # and its pairs share most of their text; a footer paragraph (bench/syndication/scale.py) pairs
    # pages of other stories sharing a tenth of theirs. Two shared sentences alone let multi-sentence
    # footers through; the containment alone, a one-sentence footer on two-sentence pages.
    syndicated_share: float = 0.5
    # Near matches: two sentences align at this rapidfuzz Indel similarity over word tokens or more. One
    # changed number or retyped quote word in a 10-word sentence still scores ~0.9; two outlets' rewrites
    # of one sentence 0.6-0.67. Dev: 0.6 / 0.7 / 0.8 -> pair F1 0.941 / 0.941 / 0.938, gold bodies
    # 0.962 / 0.978 / 0.967.
    sentence_match: float = 0.7
    # Same origin: at least this share of the smaller article's substantive words lies in sentences found
    # in the other, in order, in at least `min_shared_sentences` (one of them at `anchor_match`: verbatim).
    # Dev: containment 0.4 / 0.5 / 0.6 -> 0.943 / 0.941 / 0.941 (flat). One shared sentence instead of
    # two: pair precision 0.016 (teasers of other stories a cleaner keeps chain everything together).
    min_containment: float = 0.5
    min_shared_sentences: int = 2
    anchor_match: float = 1.0
    # ... except lede excerpts: an article opening with the other's first sentence, verbatim or cut short,
    # and holding nothing else of its own (with the same headline, sentences other pages print too, i.e.
    # kept teasers, are excused; headlines that differ veto it). Deferred: it joins only when everything
    # it opens is one group, so it cannot chain two stories. Dev (seed 7): one-sentence rule F1 0.937 ->
    # 0.942; then teasers excused under one headline, with the veto, seeds 7/11/12/13: pair F1
    # 0.956/0.950/0.963/0.943 -> 0.970/0.960/0.975/0.960, precision 0.985/0.994/0.992/0.987 ->
    # 1.000/1.000/0.995/0.996 (the veto removes what the one-sentence rule admitted: kept teasers).
    lede_excerpts: bool = True
    # Which titles veto a lede excerpt: "any" two that differ (the second session's rule), "headlines"
    # only two headlines that differ (headline_min_tokens words, not a URL: a cleaner often takes a
    # byline, a site name or a URL for the title), "teasers" that and, without a veto, kept teasers are
    # excused as under one headline. Dev seeds 7/11/12/13 through the cleaner, pair F1 (P): any
    # 0.979 (0.993) / 0.979 (1.000) / 0.992 (1.000) / 0.969 (1.000); headlines 0.975 (0.990) / 0.978
    # (1.000) / 0.992 (0.999) / 0.966 (0.996); teasers 0.974 (0.990) / 0.975 (0.994) / 0.993 (0.999) /
    # 0.972 (0.993); gold bodies the same for all three. "any" kept: where a cleaner mistook the title,
    # a page reduced to other stories' teasers is as likely as an excerpt. (Syndicated ledes in page
    # leads use "headlines": `lead_pairs`.)
    lede_title_veto: str = "any"
    # Retitled pages: a title that holds the other whole (a kicker put before it, a part cut off at its
    # colon) is the same headline, for the veto above and for page leads (a lede, cut or not, under it);
    # a title that is the opening of its own page's first sentence (made from the lede) vetoes nothing.
    # Dev half seed 7 `--hard` (a third of the republished pages retitled so or from the lede), pair F1
    # off -> veto only -> veto and page leads: gold bodies 0.952 -> 0.961 -> 0.969, through the cleaner
    # 0.920 -> 0.921 -> 0.926 (its misses are mostly one-line excerpts whose line the cleaner removed);
    # precision unchanged (1.000 / 0.990); plain draw unchanged (0.994 / 0.991). A lede-made title on the
    # excerpt lifts both vetoes (dev titles are their lede's first 80 characters, so the dev figures are
    # the same without it; tests/syndication/test_retitled.py holds the case of a real headline).
    retitles: bool = True
    # Page leads (candidates.lead_pairs): pages whose first `lead_sentences` substantive sentences, read
    # over every line of the page (what the cleaner removed too), are the same share an origin; the same
    # first sentence under the same headline is a deferred lede excerpt. The first `lead_sentences +
    # lead_scan_extra` sentences are read, so that boilerplate ones (held by > max_sentence_fanout pages)
    # can be skipped. Dev seeds 7/11/12/13, pair F1 through the cleaner: off 0.989/0.977/0.992/0.971,
    # 2 sentences 0.994/0.987/0.999/0.984, 3 sentences 0.994/0.987/0.997/0.978 (all at precision 1.000).
    # A lead the cleaner removed on both pages is not evidence (a banner, not a lede): judgement, for
    # batches from one site; it costs seed 11 three pairs (0.987 -> 0.985).
    page_leads: bool = True
    # ... and a page whose lead is one sentence, the lede (verbatim or cut) of a story printed by more
    # than max_sentence_fanout pages, is a deferred lede excerpt unless both titles are headlines
    # (headline_min_tokens words) that differ: on bench/out/scale-2500 (seed 7) most such excerpts'
    # titles were a byline or the site's name; pair F1 0.984 -> 0.998. Not for ledes of smaller stories:
    # on bench/out/fold-corpus-2400 that joined pages whose one lead sentence was another story's teaser.
    short_ledes: bool = True
    lead_sentences: int = 2
    lead_scan_extra: int = 2
    # Headlines as evidence (`_headlines`): at least this many words and printed by no more than
    # max_sentence_fanout pages. A page with no substantive sentence of its own joins the pages printing its
    # headline when they are one group; the same headline plus one verbatim sentence is a deferred link.
    # 0 turns headlines off. Dev seeds 7/11/12/13 through the cleaner: off 0.975/0.966/0.992/0.972,
    # 6 words 0.993/0.987/0.999/0.980, 5 0.994/0.987/0.999/0.984, 4 the same as 5 (precision 1.000 at
    # each); 5 kept, as four-word headlines ("Story continues below advertisement") are often chrome.
    headline_min_tokens: int = 5
    # ... and the same headline plus verbatim sentences need them to cover this share of the smaller
    # article's substantive words (one boilerplate sentence kept in a long page is not a version). Dev
    # seed 7 through the cleaner: 0 / 0.1 / 0.2 -> pair F1 0.994 / 0.994 / 0.989 (precision 1.000).
    headline_min_verbatim: float = 0.1
    # Fuzzy candidates (off): MinHash LSH (rensa) over every distinct sentence, word 3-gram shingles, 32
    # permutations in 8 bands of 4 rows (LSH threshold near Jaccard 0.6), in chunks of `chunk_articles`,
    # for copies with every sentence touched; they need `anchor_match` < 1 to pass. Measured on, with
    # anchor 0.9: dev pair precision 0.958 -> 0.903, gold bodies 1.000 -> 0.930 (ECB+ reports of one event
    # share near-identical wire sentences); 20,000 synthetic articles 19 s -> 44 s. Exact sentence hashing
    # alone finds every pair with a verbatim sentence, which the anchor rule requires anyway.
    near_candidates: bool = False
    shingle_words: int = 3
    num_perm: int = 32
    num_bands: int = 8
    lsh_threshold: float = 0.6
    seed: int = 1
    chunk_articles: int = 2000
    # Pairs sharing this many verbatim sentences that reach `min_containment` pass without alignment (two
    # kept teasers can be two verbatim sentences out of order; three were not seen); pairs whose verbatim
    # sentences cover less than `align_min_verbatim` of the smaller article are not aligned. Speed only.
    exact_min_sentences: int = 3
    align_min_verbatim: float = 0.2
    # Relations (syndication._relation). Version: this many added (or dropped) substantive words. Dev:
    # added 8 / 15 / 25 -> relation accuracy 0.932 / 0.932 / 0.929; dropped 8 / 15 / 25 -> 0.926 / 0.932 /
    # 0.929.
    min_added_words: int = 15
    # ... or a line that is not a sentence (a price, a URL, a list entry) printed with other numbers, its
    # words the same (a version whose only edit is outside the sentences). Dev seeds 7/11/12/13,
    # relation accuracy off -> on: gold bodies 0.952/0.948/0.932/0.922 -> 0.973/0.970/0.951/0.960,
    # through the cleaner 0.944/0.939/0.931/0.921 -> 0.954/0.955/0.936/0.937; pair F1 unchanged.
    line_numbers: bool = True
    # ... or such a line (three words or more, sentences under min_substantive_tokens too) with one word
    # inserted, dropped or replaced (a subheading reworded), unless it is one word apart from another line
    # of its page (list entries of one template). Dev half seed 7, relation accuracy off -> on: `--hard`
    # (a third of the versions edited only in such a line) gold bodies 0.905 -> 0.963, through the cleaner
    # 0.862 -> 0.893 (the cleaner removes most such lines, out of reach); plain draw 0.973 / 0.958 both
    # (0.955 through the cleaner without the template rule); pair scores unchanged.
    line_words: bool = True
    min_dropped_words: int = 15
    # Excerpt: the fuller member goes on for this share of its words after the excerpt's last sentence.
    # Dev: 0.1 / 0.2 / 0.25 / 0.3 / 0.35 -> 0.924 / 0.932 / 0.924 / 0.921 / 0.910.
    excerpt_min_tail: float = 0.2
    # Lines (paragraphs) at either edge, added or missing, that count as cleaner noise. Dev with today's
    # cleaner: 0 / 1 / 2 -> 0.946 / 0.932 / 0.932; 1 kept because a kept caption or "similar news" blurb
    # must not make a copy a version, nor one dropped last line a copy an excerpt (the seeds' excerpt
    # 001 keeps such a blurb through the cleaner); not fitted to one cleaner's current errors.
    edge_noise_lines: int = 1
    # Bodies kept in memory while verifying: bounds memory at 100,000 articles.
    passage_cache: int = 4096
    # Distinct lines whose split sentences are kept for the run (`passages.LineCache`, emptied when
    # full). Judgement: at about 300 bytes a line split twice over (text and key), 200,000 lines hold
    # ~120 MB; bench/syndication/scale.py 20000 peaks 40 MB above the code before it. Measured since
    # (deep size, bench/out/scale-10k-max100): 73,707 lines held 69.5 MB, ~1 KB a line, so ~190 MB when
    # full: with the bodies (`passage_cache`, 39 MB) most of what copy detection holds, but a constant.
    line_cache: int = 200_000


@dataclass(frozen=True)
class ClusterSettings:
    """Defaults of the story-clustering stage (newsfold.cluster)."""

    # The three bars were swept on ECB+ dev, cross-validated by topic (bench/train_cluster.py --sweep;
    # BCubed F1, and the share of held-out events kept whole when clustered alone), edge/topic/merge:
    # 0.3/0.7/0.5 0.929, 40/42 (chosen) | 0.3/0.8/0.5 0.921 | 0.5/0.7/0.5 0.926, 39/42 |
    # 0.3/0.7/0.6 0.940, 38/42 | 0.3/0.7/0.7 0.930, 37/42 | 0.3/0.6/0.6 0.934, 38/42. 0.5 over 0.6 for
    # merge: most real components hold one event, and 0.6 splits more of those. Since the merge model
    # weighs each training component alike (bench/train_cluster.py COMPONENT_WEIGHT_POWER = 1), merge
    # 0.4 / 0.5 / 0.6 gives 0.938 / 0.940 / 0.950 (P 0.981), 41/42, 40/42, 40/42 held-out events whole:
    # 0.6 chosen. Then re-swept under that merge model (CV by topic, F1 and events kept whole): edge
    # 0.2 / 0.3 / 0.4 / 0.5: 0.950, 40/42 | 0.950, 40/42 | 0.959, 38/42 | 0.961, 37/42; topic 0.6 / 0.8:
    # 0.934 / 0.943. Nested selection (bench/train_cluster.py nested_cross_validated: edge 0.3-0.5 x
    # merge 0.5-0.7 chosen inside each training fold) picked edge 0.4 in 3 of 5 folds (0.5 once, 0.3 once)
    # and merge 0.6 in 3 (0.7 in 2), for a nested F1 of 0.938 (P 0.981 R 0.898): the honest figure.
    # Since training draws eight samples per size (bench/train_cluster.py SAMPLE_COPIES: two made the
    # figures a matter of the draw), merge 0.6 at CV 0.954 (P 0.974 R 0.935); nested over merge
    # 0.4-0.7 picked 0.6 in 3 of 5 folds (0.4, 0.5 once): 0.958 (P 0.974 R 0.942). Edge 0.3 / 0.5 there:
    # CV 0.943 / 0.958 and nested 0.947 / 0.952 under SAMPLE_WEIGHT 2, but 0.5 lost at another training
    # seed (0.955 / 0.946 vs 0.957 / 0.952), and with edge 0.3-0.6 in the nested grid: 0.944; 0.4 kept.
    # A candidate neighbour links two articles' components when the edge model (global pair features,
    # logistic) gives it at least this: a low bar, as the later steps split components again. 0.4: the
    # nested selection's usual choice (zyte pages: precision 0.740 -> 0.751; seeds one story).
    edge_probability: float = 0.4
    # Inside a component, average-link over the topic model's probabilities first splits it into topics
    # (chained components hold several).
    topic_probability: float = 0.7
    # Average-link agglomeration inside a topic merges two clusters while their mean pair probability
    # (merge model, global + component-local features) reaches this.
    merge_probability: float = 0.6
    # No candidate edge makes a component larger than this (origin groups still join): stops chaining
    # into a giant component, and bounds the all-pairs work of re-clustering one component. Not tuned:
    # ECB+ topics hold <= 45 articles; a real story of more than 300 articles is split.
    max_component: int = 300
    # Nor does an origin group's must-link join two components past this many articles: re-clustering a
    # component holds its all-pairs features, ~n^2 (cluster_component over the first n profiles of
    # bench/out/scale-100k-max100, peak RSS over its start: 1,000 128 MB, 1,317 272 MB, 1,500 311 MB,
    # 2,000 570 MB, 3,000 1,237 MB), and must-links glue capped components into ever larger ones as a
    # corpus grows (largest component, the gold's origins as groups: 10k pages 567, 100k 1,317; the 1M
    # fold ran out of memory re-clustering: bench/scale/README.md, twelfth session). A group refused here
    # is split between two components' stories, and which joins reach the cap depends on the input
    # order: at 1,500 the fold corpus named file by file in shuffled orders split up to 95 origin groups
    # (BCubed 0.787-0.834 over seven orders, bench/fold/input_order.py); at 3,000, none (0.827-0.834).
    # 3,000 at 1M pages: largest process 2,588 MB (2,537 at 1,500; seventeenth session). Not tuned.
    max_linked_component: int = 3_000
    # An article links only its strongest candidates (those passing the edge bar): one weak link to
    # another event is then outvoted by the article's own event, and events stop chaining into giant
    # components (bench/bench_cluster_scale.py: synthetic 20,000, BCubed 0.956 with all 20 -> 0.998).
    # ECB+ dev CV by topic (bench/train_cluster.py), BCubed F1 and held-out events kept whole,
    # 1: 0.949, 36/42 | 2: 0.948, 39/42 | 3: 0.942, 40/42 (chosen: keeps most events whole) |
    # 5: 0.942, 40/42 | 20 (all): 0.944, 40/42.
    edges_per_article: int = 3
    # Words as frequent as this (wordfreq, English) or more weigh nothing: about the 150 commonest words.
    # Swept 3e-4 / 1e-3 / 3e-3 on ECB+ dev with the former single-pass design: 0.890 / 0.891 / 0.892.
    common_word_frequency: float = 1e-3
    # Frequency assumed for a word wordfreq does not list (its rarest entries are about 1e-8). Not tuned.
    unknown_word_frequency: float = 1e-8
    # Title words count this many times a body word: a title names the event. Not tuned (ECB+ has no
    # titles); the usual double weight of a title field in search engines.
    title_boost: float = 2.0
    # Each word of the address's slug counts as this many body words (0: the address is not read). The
    # slug is the headline as the site filed it (cluster/profile.py `slug_words`). ECB+ dev through the
    # fold path, CV by topic (bench/bench_ecbplus_fold.py): 0 -> 0.955, 1 and 2 -> 0.957; bench_cluster_unseen
    # (zyte+Fundus, fold-corpus-2400, scale-2500): 0.919, 0.831, 0.858 at both. Weight 1: a body word.
    slug_weight: float = 1.0
    # Heaviest words, names and numbers kept per article: bounds memory at 100,000 articles
    # (bench/bench_cluster_scale.py). Not tuned: ECB+ articles rarely have more.
    terms_per_article: int = 100
    names_per_article: int = 40
    numbers_per_article: int = 40
    # Index keys per article (its rarest words, and half as many names) and the latest articles kept and
    # scanned per key: blocking that keeps the work per article constant. Keys not tuned. Scanned 50 was
    # measured (bench/scale/stories_memory.py --count on bench/out/scale-*-max100: hits per article at
    # 200 / 50: 10k 210 / 153, 100k 448 / 246; stories' BCubed F1 fold-corpus-2400 0.8313 / 0.8301,
    # scale-2500-max100 0.8518 / 0.8522; clustering CPU 10k 6.8 -> 6.6 s, 100k 120.6 -> 112.3 s with the
    # index's recent profiles kept) and not shipped: it changes the stories at every size and every stored
    # store's state (a refold) for ~7% of the clustering at 100k, not the 12x bar; what grows is the
    # profiles read to score the edges (see bench/scale/README.md).
    index_keys_per_article: int = 10
    postings_scanned: int = 200
    # Earlier articles scored per new article: those sharing the most index keys.
    candidates: int = 20


@dataclass(frozen=True)
class StorySettings:
    """Defaults of the story-writing stage."""

    summary_words: int = 120
    # ICSISumm's sentence filter (Gillick & Favre 2009): shorter sentences never enter the summary.
    min_sentence_words: int = 10
    # Extra concept weight per document whose first `lead_sentences` sentences hold the concept, when the
    # summary weighs concepts by document counts (`concept_weights(model=None)`; the default weights are
    # learned, and hold the lead as a feature). 0 is plain ICSISumm: 0.5 did not help on the dev check
    # (bench/bench_summary.py, ECB+ leave-one-out R2-R 15.99 ± 0.89 vs 16.50 ± 1.02 at 0).
    lead_bonus: float = 0.0
    lead_sentences: int = 3
    # More than this share of a sentence inside quotation marks: a quote, left to the quotes section.
    max_quoted_share: float = 0.5
    # ICSISumm keeps bigrams found in >= 3 of 10 documents; smaller stories scale this down (see min_df).
    min_df_ten_docs: int = 3
    # The words whole summary sentences leave unused are filled with the start of one more sentence, cut
    # and marked "…", only when at least this many are left, so the cut sentence says something. Off for
    # readers (a summary of whole sentences); bench/bench_summary.py turns it on, as DUC/ROUGE scoring
    # reads exactly the budget. Not tuned.
    fill_with_cut_sentence: bool = False
    # Summary sentences lose short attribution clauses (", police said."): `story.summary.trim_attribution`.
    # Dev check (bench/bench_summary.py, ECB+ R2-R held-out lead / 10-document multi-reference): on 17.51
    # / 16.65, off 17.48 / 17.10 (multi: 4 clusters better, 8 worse, 27 the same). The pseudo-references
    # are leads that keep their own attributions (37 "said" in the 117 references), which rewards keeping
    # them; human abstracts (DUC) rarely attribute, and readers see each sentence's sources beside it. On
    # for the words it gives to content; not measured where it counts (no human abstracts at hand).
    trim_attribution: bool = True
    # Two summary sentences whose content-stem sets have at least this cosine say the same thing reworded:
    # the later one is left out and the coverage program solved again (`story.summary._reworded`); above
    # 1: off. Dev check (bench/bench_summary.py, ECB+ R2-R held-out lead / 10-document multi-reference):
    # off 17.52 / 16.69, 0.7 17.50 / 16.69, 0.6 17.31 / 16.39, 0.5 17.13 / 16.47. Held-out leads restate
    # the event, so they reward a second wording of it; 0.7 takes out near-restatements only.
    reworded: float = 0.7
    fill_min_words: int = 4
    # TF-IDF cosine (with the neighbour bonus) at which another article states the same sentence: the
    # copies and light rewrites of the seed AP story score >= 0.5, related but different statements less.
    same_statement: float = 0.5
    # Cosine at which two sentences report the same thing differently (names discrepancies); set between
    # the reworded AP pair on Japan's account (0.37) and related statements (<= 0.32) in the seeds: to
    # re-measure on more stories.
    aligned_statement: float = 0.35
    # At most this many discrepancies a story, the best ranked (`story.discrepancies.find_discrepancies`):
    # a story mixing many events pairs its statements quadratically (39,331 "disagreements" at 1,500
    # articles of bench/scale/story_memory.py), more than anyone reads. Not tuned: a screen or two; 20 of
    # bench/fold's 245 stories list more (up to 579). None: all.
    discrepancies_per_story: int | None = 20
    # Quotes shorter than this are scare quotes ("sacred fight"), not remarks.
    min_quote_words: int = 4
    # Two wordings are one remark when they share this share of the shorter one's words (and >= 3 words).
    quote_overlap: float = 0.6
    # "What each source adds": at most this many sentences per origin, in reading order. Not tuned.
    adds_per_origin: int = 3
    # A bare weekday ("on Wednesday") places a page within this many days of the day it names.
    max_weekday_days: int = 7


@dataclass(frozen=True)
class StoreSettings:
    """How the SQLite store waits for and writes alongside other processes."""

    # A second writer (another `newsfold ingest`) waits this long for the first to commit before giving
    # up with a one-line error. Not tuned: an ingest of 100 new pages into a 10,000-article store takes
    # ~15 s here (README, bench_ingest_scale.py), so 120 s lets a queued ingest of that size through.
    busy_timeout_s: float = 120.0
    # Pages are cleaned and stored in transactions of this many: a kill loses at most one batch's work and
    # what was committed stays. Not tuned: 200 pages are ~0.1-2 s of cleaning here (clean speed, README).
    ingest_batch_pages: int = 200
    # An ingest writes its stories in worker processes only when they hold at least this many articles
    # together. A pool costs ~1.2 s of CPU before its first story (the fork server's imports ~0.5 s, each
    # worker's import of the main module ~0.4 s) and a story of the ingest benchmark ~1.5 ms an article:
    # the 100 stories (1,041 articles) one batch of bench/bench_ingest_scale.py 30000 rewrites cost
    # 1.70 s of CPU in this process, 2.93 s with two workers (the same stories written both ways in one run),
    # and two workers only shorten the wall time once the stories cost some 2.5 s (~2,000 articles).
    ingest_pool_min_articles: int = 2000
    # A store of at least this many articles keeps a copy of the clustering's word list (`Store.
    # word_frequencies`): taking it costs ~0.9 s of CPU and ~7 MB once, and saves ~0.05 s an ingest (reading
    # the list for the new articles' words; bench/bench_ingest_scale.py 30000), so it pays for itself after
    # some 20 ingests. Not tuned: a store of 1,000 articles has seen more ingests than that, or soon will; a
    # small store (a test's, a first try) reads the list each time, as before.
    word_list_min_articles: int = 1000


@dataclass(frozen=True)
class EngineSettings:
    """How an engine runs the stages; no setting here changes a result (tests check it)."""

    # Worker processes for the stages that split into independent parts (writing stories: each story
    # reads only its own articles). 0: every core (os.cpu_count()); 1: everything in this process.
    workers: int = 0
    # Stories are handed to workers biggest first; below this many stories a pool costs more than it saves
    # (starting 2 workers ~0.1 s against ~5 ms a small story).
    min_stories_for_pool: int = 8
    # Articles profiled for clustering per worker task, at least: a task loads the word-frequency lexicon
    # (~0.1 s) and reads each line and word once, so chunks are large; below two chunks one process
    # profiles them all. Above it the articles are spread evenly over the workers, in tasks of at most
    # `profile_chunk_max_articles`: bench/fold's 2,400 articles cost 4.7 s of CPU in chunks of 500,
    # 3.6 s in two of 1,200, 3.0 s in one (copies share lines and words within a task only).
    profile_chunk_articles: int = 500
    # A task's articles are pickled to its worker, two tasks a worker in flight: 5,000 articles are
    # ~15 MB pickled (bench/fold: 6.9 MB for 2,400 without their removed lines).
    profile_chunk_max_articles: int = 5000
    # Pages are read and cleaned this many at a time, each chunk its own context (a site's template lines,
    # other pages' headlines), so raw page text is never held for a whole corpus. A chunk this size holds
    # many pages of every site of a crawl (the seeds and the benchmarks fit in one: their results are
    # those of one batch) and costs ~100 MB while it is cleaned.
    clean_chunk_pages: int = 5000
    # A fold of at most this many articles holds them in memory; past it they go to a file in the run's
    # temporary folder (`engine.spill`). 10,000 cleaned articles are a few hundred MB; pickling them to
    # disk and back cost ~1 s of a 2,400-page fold's ~13 s.
    hold_articles: int = 10000
    # With `fold --out`, a fold of more than this many articles records its progress in the folder, to
    # resume when it stops (`engine.spill`'s state): its articles go to disk past this many, not past
    # `hold_articles`. A fold held in memory records nothing. 2,500: bench/fold's 2,400 pages (~13 s of
    # CPU) stay held; a fold of 10,000 pages (70 s of CPU, minutes of wall on 2 loaded cores) is
    # resumable. Recording cost 7-14% of a 2,400-page fold's CPU (bench/scale/state_cost.py --on-disk:
    # 14.06 s against 12.32 s), 1% at 10,000 pages (bench/scale/run.py: 70.2 s against 69.7 s).
    resumable_after_articles: int = 2500


@dataclass(frozen=True)
class ThreadSettings:
    """Defaults of the thread-linking stage (newsfold.cluster.threads): when two stories are one saga."""

    # A thread link needs all of: names cosine, words cosine, the share of each side's heaviest names the
    # other has (the lesser side), event dates (else written years) at most `max_days` apart.
    # Set by hand on ECB+ dev (bench/bench_threads.py; in-sample, there is no other thread data):
    # halves of one event linked / topics whose two events are joined, names-words-covered bars:
    # 0.5-0.3-0.6: 36/42, 1 | 0.35-0.3-0.6: 36/42, 1 | 0.5-0.3-0.8: 34/42, 0 | 0.35-0.3-0.4: 38/42, 1
    # (the topic joined: two Chargers players' DUI arrests weeks apart, arguably one thread). Names 0.35,
    # not 0.5: two zyte stories of the impeachment hearings (names 0.38, words 0.41) are then one thread;
    # covered 0.6, not 0.4: the halves of one event share more names than the parts of a saga do, and a
    # lower bar let ECB+ topic 11's two elections through on names alone (held apart by their years).
    names_cosine: float = 0.35
    terms_cosine: float = 0.3
    names_covered: float = 0.6
    # DUC 2004's clusters (a story followed by the press) span weeks; two months is a generous bound.
    # Not tuned (no dated thread data at hand).
    max_days: int = 60
    # Related stories: any compared story whose score (geometric mean of the names and words cosines)
    # reaches this, best first, at most `related_per_story` (the five a reader's sidebar shows).
    related_score: float = 0.3
    related_per_story: int = 5
    # Which stories are compared: those sharing one of their index keys (each story's `index_keys` heaviest
    # names and `index_keys` heaviest words), at any distance in time. A key held by more than
    # `key_stories` stories relates nothing, so a story is compared with at most 2 * index_keys *
    # key_stories others and an ingest reads that much per new story. 100, not 200 (the clustering's
    # bound on a key's postings): the pairs compared per story grow with the corpus while common keys
    # fill up to the bound (bench/out/scale-*-max100, stories' pairs per story at 200 / 100: 2.5k 4.6 /
    # 4.6, 10k 9.6 / 9.6, 30k 20.4 / 13.6), and the keys held by 100-200 stories there are German
    # function words the English frequency list does not know (ein, nicht, sich, dass), no saga's name.
    # Threads identical at 2.5k and 10k (no key held by 100-200 stories), and on ECB+ dev
    # (bench/bench_threads.py: no key that common).
    # 20 was measured and not shipped: the pairs per story still grow 2.8x from 10k to 100k pages (9.6 ->
    # 27.0), and threads' CPU 29x for 10x the stories; at 20, 4.3 -> 9.2 a story. Every linked pair of
    # scale-10k-max100 and scale-100k-max100 shares a key of at most 20 stories (its rarest shared key, 10k /
    # 100k: <= 5 held 21 / 175 linked pairs, 6-10 3 / 81, 11-20 0 / 20, more 0 / 0): the threads are the same;
    # related pairs through only commoner keys are lost (10k 28 of 414, 100k 1,373 of 5,803: shared words of
    # one topic, not the saga's names). Threads CPU (with `compared_pair`'s names check), same quiet machine:
    # 10k 1.6 -> 1.1 s, 100k 55.3 -> 19.4 s. But a store's threads were linked at its key_stories: ingesting
    # 100 pages into a 30,000-article store folded at 100 relinked them all (threads 0.07 -> 1.5 s CPU,
    # bench/bench_ingest_scale.py), and a quarter of the related stories go at 100k: a change that needs a
    # store upgrade and a related-stories check on real sagas first.
    index_keys: int = 6
    key_stories: int = 100
    # ... and at least this many of them. 1: a second shared key cost ECB+ dev related stories (0.85 a
    # story -> 0.73) and changed no thread; a lever for corpora where one shared word compares too much.
    shared_keys: int = 1


@dataclass(frozen=True)
class Settings:
    """All stages' settings together, as the engines and the CLI pass them."""

    engine: EngineSettings = EngineSettings()
    read: ReadSettings = ReadSettings()
    clean: CleanSettings = CleanSettings()
    syndication: SyndicationSettings = SyndicationSettings()
    cluster: ClusterSettings = ClusterSettings()
    story: StorySettings = StorySettings()
    threads: ThreadSettings = ThreadSettings()
    store: StoreSettings = StoreSettings()
