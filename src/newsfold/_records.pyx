# cython: language_level=3, boundscheck=False, wraparound=False
"""Many instances of a frozen, slotted dataclass of plain values, made at once (`RemovedLine.many`).

Why compiled: a batch of pages drops tens of thousands of lines, each kept as a `RemovedLine`. Made in
Python, each instance costs a call of the frozen `__init__` (or of `object.__new__` and one descriptor
call per field); here each is allocated and its slots filled in C. An instance whose fields are all
atomic values (int, str, float, bool, None) can be part of no reference cycle, so it is left out of the
cyclic garbage collector's lists, as CPython leaves out tuples and dicts of such values: tens of
thousands of tracked objects a batch made the collector's full passes a tenth of the clean stage's time.
The Python version in `models.RemovedLine.many` stays the reference (and the fallback where no compiler
built this); a test checks that both make equal instances.
"""

from types import MemberDescriptorType

from cpython.list cimport PyList_GET_ITEM
from cpython.ref cimport Py_INCREF, PyObject
from cpython.tuple cimport PyTuple_New, PyTuple_SET_ITEM


cdef extern from "structmember.h":
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
        int flags

cdef extern from "Python.h":
    ctypedef struct PyTypeObject:
        PyObject* (*tp_alloc)(PyTypeObject*, Py_ssize_t) except NULL
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    void PyObject_GC_UnTrack(void*)
    int PyGC_Disable()
    int PyGC_Enable()
    bint PyLong_CheckExact(object)
    bint PyUnicode_CheckExact(object)
    bint PyFloat_CheckExact(object)
    bint PyBool_Check(object)

cdef enum:
    OBJECT_EX = 16  # T_OBJECT_EX of structmember.h: a slot holding an object reference
    READONLY = 1


def slot_offsets(type cls, tuple names):
    """Where each named slot of `cls` lies in its instances, checked: each must be a writable object slot
    of a class that `object.__new__` makes."""
    if cls.__new__ is not object.__new__:
        raise TypeError(f"{cls.__name__} has its own __new__")
    offsets = []
    for name in names:
        descriptor = cls.__dict__.get(name)
        if type(descriptor) is not MemberDescriptorType:
            raise TypeError(f"{cls.__name__}.{name} is not a slot")
        member = (<PyMemberDescrObject*>descriptor).d_member
        if member.type != OBJECT_EX or member.flags & READONLY:
            raise TypeError(f"{cls.__name__}.{name} is not a writable object slot")
        offsets.append(member.offset)
    return tuple(offsets)


cdef inline bint _atomic(object value):
    return value is None or PyUnicode_CheckExact(value) or PyLong_CheckExact(value) \
        or PyFloat_CheckExact(value) or PyBool_Check(value)


def untracked_records(type cls, tuple offsets, list columns):
    """A tuple of new `cls` instances, instance i with slot k (at `offsets[k]`) holding `columns[k][i]`.

    The columns are lists of one length; `__init__` is not run (the caller stands for a dataclass's
    plain field assignment). Instances holding only atomic values are not tracked by the collector.
    """
    cdef Py_ssize_t n_fields = len(offsets), n, i, k
    if len(columns) != n_fields:
        raise ValueError("one column per slot")
    n = len(columns[0]) if n_fields else 0
    cdef list column
    for column in columns:
        if len(column) != n:
            raise ValueError("columns of different lengths")
    cdef Py_ssize_t[16] at
    if n_fields > 16:
        raise ValueError("at most 16 slots")
    for k in range(n_fields):
        at[k] = offsets[k]
    cdef PyTypeObject* tp = <PyTypeObject*>cls
    out = PyTuple_New(n)
    # The collector is held off while the instances are made: each allocation counts towards its next
    # pass, and tens of thousands of them would set off dozens of passes over the other young objects,
    # none of them made of these instances (left out of its lists). The count stands: the first
    # allocation after this runs the one pass that is due.
    cdef int was_enabled = PyGC_Disable()
    try:
        _fill(tp, at, n_fields, columns, n, out)
    finally:
        if was_enabled:
            PyGC_Enable()
    return out


cdef int _fill(PyTypeObject* tp, Py_ssize_t* at, Py_ssize_t n_fields, list columns, Py_ssize_t n,
               tuple out) except -1:
    cdef Py_ssize_t i, k
    cdef PyObject* made
    cdef PyObject* value
    cdef bint atomic
    for i in range(n):
        made = tp.tp_alloc(tp, 0)
        atomic = True
        for k in range(n_fields):
            value = PyList_GET_ITEM(<list>columns[k], i)
            Py_INCREF(<object>value)
            (<PyObject**>((<char*>made) + at[k]))[0] = value
            if atomic and not _atomic(<object>value):
                atomic = False
        if atomic:
            PyObject_GC_UnTrack(made)
        PyTuple_SET_ITEM(out, i, <object>made)
    return 0
