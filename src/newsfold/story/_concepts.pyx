# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The summary's concept features read from a story's texts, compiled: `summary._printed_texts_plain`,
`summary._holding_at_least_plain` and `summary._text_features_plain` (their specs).

Why compiled: the three passes visit every print of a story (46,492 on bench/fold's stories) and every
concept of every distinct text (a dict lookup and a bit set or a list append each): with the features'
arrays made of them, 0.14 of `concept_weights`' 0.20 s of CPU there, 0.11 compiled. The same steps
here, on the same Python objects in the same order (a sentence's words read from its `Wording`, whose
cached values its properties return; the documents' bit sets are Python ints, as a story may have any
number of documents), so the same results (tests/story/test_summary.py checks that both agree).
"""


cdef object ONE = 1


def printed_texts(list sentences, object documents, long lead_sentences):
    """`summary._printed_texts_plain(sentences, documents, lead_sentences)`."""
    cdef dict bits = {}, printed = {}, positions
    cdef list entry
    cdef object s, doc, bit, text, position, held
    for s in sentences:
        doc = documents.get(s.article, s.article)
        bit = bits.get(doc)
        if bit is None:
            bit = bits[doc] = ONE << len(bits)  # a Python int: C's shift would overflow past 63
        text = s.text
        entry = printed.get(text)
        if entry is None:
            entry = printed[text] = [s, 0, 0, {}]
        positions = <dict>entry[3]
        position = s.position
        held = positions.get(bit, 1.0)
        if position < held:
            positions[bit] = position
        entry[1] = entry[1] | bit
        if s.index < lead_sentences:
            entry[2] = entry[2] | bit
    return printed, max(len(bits), 1)


def holding_at_least(list entries, long min_df):
    """`summary._holding_at_least_plain(entries, min_df)`."""
    cdef dict seen = {}
    cdef list entry
    cdef object docs, c, held
    for entry in entries:
        docs = entry[1]
        for c in <frozenset>entry[0].wording.concepts:
            held = seen.get(c)
            seen[c] = docs if held is None else held | docs
    cdef dict kept = {}
    cdef long n
    for c, docs in seen.items():
        n = docs.bit_count()
        if n >= min_df:
            kept[c] = n
    return kept


def text_features(list entries, dict index, list pairs):
    """`summary._text_features_plain(entries, index, pairs)`."""
    cdef list ids = [], sizes = [], lows = [], sums = [], counts = [], at, entry
    cdef list lead = [0] * len(index)
    cdef set capitalised = set()
    cdef frozenset names
    cdef dict positions
    cdef object wording, k, leads, value
    cdef tuple pair, stems, capitals
    cdef double low, total
    cdef Py_ssize_t i
    for entry in entries:
        wording = entry[0].wording
        at = []
        for c in <frozenset>wording.concepts:
            k = index.get(c)
            if k is not None:
                at.append(k)
        if not at:
            continue
        ids.extend(at)
        sizes.append(len(at))
        positions = <dict>entry[3]
        # min() and sum() of the positions as the spec takes them: the first least value, and the values
        # added in order from 0 as doubles (Python's sum of floats)
        low, total = 2.0, 0.0
        for value in positions.values():
            if <double>value < low:
                low = value
            total += <double>value
        lows.append(low)
        sums.append(total)
        counts.append(len(positions))
        leads = entry[2]
        if leads:
            for k in at:
                lead[k] = lead[k] | leads
        capitals = wording.capitalised
        if capitals:  # a concept known capitalised needs no other print read
            stems = wording.stems
            names = frozenset([stems[i] for i in capitals])
            for k in at:
                if k not in capitalised:
                    pair = <tuple>pairs[k]
                    if pair[0] in names or pair[1] in names:
                        capitalised.add(k)
    return ids, sizes, lows, sums, counts, lead, capitalised
