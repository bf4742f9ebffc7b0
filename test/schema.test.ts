/**
 * `spec/permgen.schema.json` is valid JSON Schema 2020-12, as editors read it. permgen compiles it
 * without that check at run time (it would compile the meta-schema on every start), so it is here.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import schema from "../spec/permgen.schema.json" with { type: "json" };

describe("spec/permgen.schema.json", () => {
  it("is valid against the JSON Schema 2020-12 meta-schema, in strict mode", () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });

    expect(ajv.validateSchema(schema), ajv.errorsText(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });

  it("is refused by that check when a keyword has a value of the wrong type", () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });

    expect(ajv.validateSchema({ ...schema, type: 7 })).toBe(false);
  });
});
