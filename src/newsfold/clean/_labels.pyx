# cython: language_level=3
"""Compiled loops of `clean._finish` over a page's line labels: the line indices by kind
(`split_labels`) and the columns of its removed lines (`removed_columns`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and these loops visit every line of
every page (31k on the zyte dumps, most of them dropped), a few attribute reads and list appends each;
in C each visit costs a few nanoseconds. The Python loops in `clean/__init__.py` (`_split_labels`,
`_removed_columns`) stay the reference (and the fallback where no compiler built this); a property test
checks that both agree.
"""


def split_labels(list labels):
    """(body, captions, titles, furniture): the indices of the labels of each kind, in order; furniture is
    every line that is neither body nor caption (titles too)."""
    cdef list body = [], captions = [], titles = [], furniture = []
    cdef Py_ssize_t i
    cdef object label, last = None
    cdef str kind
    cdef int category = 0  # 0 drop, 1 body, 2 caption, 3 title, 4 other furniture
    for i in range(len(labels)):
        label = labels[i]
        if label is not last:  # labels are shared objects, and runs of one label are common
            last = label
            kind = label.kind
            if kind == "drop":  # most lines: tested first
                category = 0
            elif kind == "body":
                category = 1
            elif kind == "caption":
                category = 2
            elif kind == "title":
                category = 3
            else:
                category = 4
        if category == 0 or category == 4:
            furniture.append(i)
        elif category == 1:
            body.append(i)
        elif category == 2:
            captions.append(i)
        else:
            furniture.append(i)
            titles.append(i)
    return body, captions, titles, furniture


def removed_columns(list lines, list labels, list at, set kept, object default_reason):
    """(line numbers, texts, reasons) of the lines at the indices in `at` but not in `kept` (None: keep
    none): 1-based numbers, and each label's reason, or `default_reason(label)` where it has none."""
    cdef list numbers = [], texts = [], reasons = []
    cdef Py_ssize_t i
    cdef object index, label, reason
    for index in at:
        if kept is not None and index in kept:
            continue
        i = index
        label = labels[i]
        reason = label.reason
        if not reason:
            reason = default_reason(label)
        numbers.append(index + 1)
        texts.append(lines[i])
        reasons.append(reason)
    return numbers, texts, reasons
