# cython: language_level=3
"""Compiled loops of `clean._finish` over a page's line labels: the line indices by kind
(`split_labels`), the columns of its removed lines (`removed_columns`) and those lines made at once
(`removed_records`).

Why compiled: the cleaner must run at >= 10x jusText's pages/s, and these loops visit every line of
every page (31k on the zyte dumps, most of them dropped), a few attribute reads and list appends each;
in C each visit costs a few nanoseconds. The Python loops in `clean/__init__.py` (`_split_labels`,
`_removed_columns`) stay the reference (and the fallback where no compiler built this); a property test
checks that both agree.
"""

from cpython.ref cimport Py_INCREF, PyObject
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM


cdef extern from "Python.h":
    ctypedef struct PyTypeObject:
        PyObject* (*tp_alloc)(PyTypeObject*, Py_ssize_t) except NULL
    void PyObject_GC_UnTrack(void*)
    int PyGC_Disable()
    int PyGC_Enable()
    bint PyUnicode_CheckExact(object)


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


def removed_records(type cls, tuple offsets, list lines, list labels, list at, set kept, object default_reason):
    """What `RemovedLine.many(*removed_columns(...))` makes, in one pass: a tuple of new `cls` instances,
    each with its slots at `offsets` (line, text, reason; see `_records.slot_offsets`) holding the
    1-based number, the text and the reason of a line at an index in `at` but not in `kept`.

    Why: a batch drops some 27k lines; this spares the three columns' lists (half the time of making
    them). As in `_records.untracked_records`, `__init__` is not run, an instance of str values is left
    out of the cyclic collector's lists, and the collector is held off while they are made; so is the
    tuple when all its instances are (each collector pass would visit its items: 27k a batch).
    """
    cdef Py_ssize_t n = len(at), i, k, count = n, j = 0
    cdef Py_ssize_t line_at, text_at, reason_at
    if len(offsets) != 3:
        raise ValueError("the offsets of the line, text and reason slots")
    line_at, text_at, reason_at = offsets
    cdef PyTypeObject* tp = <PyTypeObject*>cls
    cdef object index, label, reason = None, text, number, last = None
    cdef PyObject* record
    cdef bint all_untracked = True
    if kept is not None:
        for index in at:
            count -= index in kept
    out = PyTuple_New(count)
    cdef int was_enabled = PyGC_Disable()
    try:
        for k in range(n):
            index = at[k]
            if kept is not None and index in kept:
                continue
            i = index
            label = labels[i]
            if label is not last:  # labels are shared objects, and runs of one label are common
                last = label
                reason = label.reason
                if not reason:
                    reason = default_reason(label)
            text = lines[i]
            number = index + 1
            record = tp.tp_alloc(tp, 0)
            PyTuple_SET_ITEM(out, j, <object>record)  # the tuple owns the new instance
            j += 1
            Py_INCREF(number)
            (<PyObject**>((<char*>record) + line_at))[0] = <PyObject*>number
            Py_INCREF(text)
            (<PyObject**>((<char*>record) + text_at))[0] = <PyObject*>text
            Py_INCREF(reason)
            (<PyObject**>((<char*>record) + reason_at))[0] = <PyObject*>reason
            if PyUnicode_CheckExact(text) and PyUnicode_CheckExact(reason):  # the number is an int
                PyObject_GC_UnTrack(record)
            else:
                all_untracked = False
    finally:
        if was_enabled:
            PyGC_Enable()
    if all_untracked:  # a tuple of untracked instances is in no cycle either: every pass would read it
        PyObject_GC_UnTrack(<PyObject*>out)
    return out
