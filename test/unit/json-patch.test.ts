import { describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError, parsePointer, type PatchOperation } from '../../functions/domain/json-patch.ts';

describe('JSON Patch (RFC 6902)', () => {
  const doc = { name: 'Moon', tags: ['a', 'b'], engagedParty: { id: '1', '@referredType': 'Organization' } };

  it('adds, replaces and removes members and array entries', () => {
    const ops: PatchOperation[] = [
      { op: 'replace', path: '/name', value: 'Sun' },
      { op: 'add', path: '/tags/1', value: 'x' },
      { op: 'add', path: '/tags/-', value: 'z' },
      { op: 'remove', path: '/engagedParty/@referredType' },
      { op: 'add', path: '/status', value: 'Approved' },
    ];
    expect(applyJsonPatch(doc, ops)).toEqual({ name: 'Sun', tags: ['a', 'x', 'b', 'z'], engagedParty: { id: '1' }, status: 'Approved' });
    expect(doc.tags).toEqual(['a', 'b']);
    expect(doc.engagedParty).toEqual({ id: '1', '@referredType': 'Organization' });
  });

  it('moves and copies', () => {
    expect(applyJsonPatch({ a: { b: 1 }, c: [] }, [{ op: 'move', from: '/a/b', path: '/c/0' }])).toEqual({ a: {}, c: [1] });
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/d' }])).toEqual({ a: { b: 1 }, d: { b: 1 } });
  });

  it('test passes on equal values whatever the key order and fails otherwise', () => {
    expect(applyJsonPatch({ a: { x: 1, y: 2 } }, [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }])).toEqual({ a: { x: 1, y: 2 } });
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/operation 0 \(test\): test of '\/a' failed/);
  });

  it('refuses paths that do not exist, bad indexes and moves into oneself', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/5', value: 2 }])).toThrow(/out of range/);
    expect(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/x', value: 2 }])).toThrow(/not an array index/);
    expect(() => applyJsonPatch({ a: { b: {} } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).toThrow(/into itself/);
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'add', path: 'a', value: 2 }])).toThrow(/JSON Pointer/);
  });

  it('decodes ~0 and ~1 in pointers', () => {
    expect(parsePointer('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(applyJsonPatch({ 'a/b': 1 }, [{ op: 'replace', path: '/a~1b', value: 2 }])).toEqual({ 'a/b': 2 });
  });
});
