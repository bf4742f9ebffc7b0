import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { jsonSyntaxError } from "../generator/policy-file.js";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("policy files > JSON syntax errors", () => {
  test("every JSON text is accepted", () => {
    fc.assert(fc.property(fc.json({ maxDepth: 8 }), (text) => jsonSyntaxError(text) === undefined));
  });

  test("it finds an error exactly when JSON.parse fails", () => {
    const unit = fc.constantFrom(...'{}[]:,"\\ \n\t0123-.eEtrufalsn\u0001xu'.split(""));
    const text = fc.string({ unit, maxLength: 24 });

    fc.assert(fc.property(text, (t) => parses(t) === (jsonSyntaxError(t) === undefined)));
  });

  test("it stays correct when valid JSON is cut short or given an extra character", () => {
    const broken = fc
      .tuple(fc.json({ maxDepth: 4 }), fc.nat(), fc.constantFrom("", ",", "}", "]", "x", '"'))
      .map(([json, cut, extra]) => json.slice(0, cut % (json.length + 1)) + extra);

    fc.assert(fc.property(broken, (t) => parses(t) === (jsonSyntaxError(t) === undefined)));
  });

  test.each([
    ['{"a": [1, 2,]}', 11, 'a trailing comma before "]"'],
    ['{"a": 1,}', 7, 'a trailing comma before "}"'],
    ["{'a': 1}", 1, 'expected a property name in quotes, found "\'"'],
    ['{"a": tru}', 6, 'unexpected "t"'],
    ['{"a": "x\ny"}', 8, "a control character (such as a line break) inside a string; escape it"],
    ['{"a": 01}', 7, "an invalid number"],
    ['{"a" 1}', 5, 'expected ":" after the property name, found "1"'],
    ['{"a": 1} {}', 9, 'unexpected "{" after the end of the JSON value'],
    ['{"a": "b', 6, "a string is not closed"],
    ['{"a": ', 6, "the file ends before the value does"],
  ])("%j: offset %i, %s", (text, offset, message) => {
    expect(jsonSyntaxError(text)).toEqual({ offset, message });
  });
});
