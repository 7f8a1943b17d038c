# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A story's texts read into words, compiled: `sentences.analyse_plain` (its spec).

Why compiled: reading every distinct sentence text of a story (tokens by `[^\\W_]+(?:['’][^\\W_]+)*`,
lowered, stemmed, stop words marked, content stems, bigram concepts, capitalised tokens) was the largest
part of `story_sentences` and an eighth of writing bench/fold's stories: the regex tests each character's
Unicode category and every token passed through a handful of interpreted comprehensions. The same steps
here in one pass a text: a word character is what the pattern's class is in `re` (`\\w` is
`str.isalnum()` or "_"), a token is lowered as the spec lowers it (`str.lower`, ’ written '), the
distinct words of the story are stemmed in one call, and the concepts are the spec's strings
(tests/story/test_parts.py checks that both agree).
"""

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISUPPER


cdef inline bint _word_char(Py_UCS4 ch) noexcept:
    """`[^\\W_]` as `re` matches it in a str pattern."""
    if ch < 128:
        return (97 <= ch <= 122) or (65 <= ch <= 90) or (48 <= ch <= 57)
    return Py_UNICODE_ISALNUM(ch)


cdef tuple _tokens(str text, list capitals):
    """(the lowered tokens, as `sentences._lowered_tokens` makes them; the indices past the first of the
    tokens that open with a capital, appended to `capitals`)."""
    cdef Py_ssize_t n = len(text), i = 0, start, end
    cdef bint curly = "’" in text
    # An ASCII text lowers at once, and its tokens are cut from that (the same as each token lowered).
    cdef str lowered = text.lower() if text.isascii() else None
    cdef list found = []
    while i < n:
        if not _word_char(text[i]):
            i += 1
            continue
        start = i
        while True:
            while i < n and _word_char(text[i]):
                i += 1
            # An apostrophe joins two runs of word characters ("Kim’s"), else the token ends before it.
            if i + 1 < n and (text[i] == "'" or text[i] == "’") and _word_char(text[i + 1]):
                i += 1
                continue
            break
        end = i
        if found and Py_UNICODE_ISUPPER(text[start]):
            capitals.append(len(found))
        if lowered is not None:
            found.append(lowered[start:end])
        else:
            word = text[start:end].lower()
            found.append(word.replace("’", "'") if curly else word)
    return tuple(found)


def analyse(list texts, frozenset stop_words, stem_words):
    """`sentences.analyse_plain(texts)`: per text (tokens, stems, content stems, concepts, capitalised),
    `stop_words` the lowered tokens that are stop words, `stem_words` PyStemmer's `stemWords` (the words'
    "'s" taken off)."""
    cdef list token_lists = [], capitalised = [], capitals, content, concepts
    cdef dict stem_of = {}
    cdef list words, found = []
    cdef Py_ssize_t k, i, m
    cdef str text
    cdef tuple tokens, stems
    cdef bint stop, stop_before
    for text in texts:
        capitals = []
        tokens = _tokens(text, capitals)
        token_lists.append(tokens)
        capitalised.append(tuple(capitals))
        for word in tokens:
            stem_of[word] = None
    words = list(stem_of)
    for word, stem in zip(words, stem_words([w.removesuffix("'s") for w in words])):
        stem_of[word] = stem
    for k in range(len(token_lists)):
        tokens = <tuple>token_lists[k]
        m = len(tokens)
        stems = tuple([stem_of[w] for w in tokens])
        content = []
        concepts = []  # adjacent pairs, not both stop words, in order
        stop_before = False
        for i in range(m):
            stop = tokens[i] in stop_words
            if not stop:
                content.append(stems[i])
            if i and not (stop and stop_before):
                concepts.append((<str>stems[i - 1]) + " " + (<str>stems[i]))
            stop_before = stop
        found.append((tokens, stems, tuple(content), frozenset(concepts), capitalised[k]))
    return found
