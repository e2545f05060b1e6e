/**
 * Rules about what a schema file declares itself to be: its dialect (`$schema`), its identity
 * (`$id`), and its validity against the dialect's meta-schema.
 */

import { metaFix } from "../../diagnostics/hints.js";
import { joinPointer } from "../../diagnostics/index.js";
import { dialectOfSchema, expectedEditorSchemaRef } from "../../schema/dialects.js";
import { metaValidator } from "../../schema/meta.js";
import { idOf } from "../../schema/refs.js";
import { describeParams, schemaForAjv } from "./compiled.js";
import type { DialectRule, MetaRule, SubschemaRule } from "./rule.js";

/**
 * SCHEMA_DIALECT: the top's `$schema` names a supported dialect; no subschema has one (an embedded
 * `$schema` changes how everything below it resolves, and lands in generated code).
 */
export const dialect: DialectRule = {
  code: "SCHEMA_DIALECT",
  scope: "dialect",
  check({ schema, pointer }, file, report) {
    if (pointer !== "") {
      if (!("$schema" in schema)) return;
      report(
        joinPointer(pointer, "$schema"),
        "$schema belongs at the top of the file only",
        'remove "$schema" here: the dialect is set once, at the top of the file',
      );
    } else if (!dialectOfSchema(file.json, file.rel)) {
      const uri = file.json.$schema;
      const alias = expectedEditorSchemaRef(uri, file.rel);
      report(
        "/$schema",
        `unsupported $schema ${JSON.stringify(uri)}`,
        alias
          ? `write "${alias}": the house meta-schema is named by its path from this file`
          : 'use "https://json-schema.org/draft/2020-12/schema" (or draft-07), or leave $schema out for 2020-12',
      );
    }
  },
};

/** SCHEMA_ID: the top's `$id`, when present, is the one derived from the path; subschemas have none. */
export const id: SubschemaRule = {
  code: "SCHEMA_ID",
  scope: "subschema",
  check({ schema, pointer }, { file }, report) {
    if (!("$id" in schema)) return;
    if (pointer !== "") {
      // An embedded $id changes how everything below it resolves, and lands in generated code.
      report(joinPointer(pointer, "$id"), "a subschema must not have its own $id", "remove it: ids are derived from file paths");
    } else if (schema.$id !== idOf(file.rel)) {
      report("/$id", `$id must be derived from the path (${idOf(file.rel)})`, "remove $id: the build derives it from the file's path");
    }
  },
};

/** SCHEMA_META: the file is valid against its dialect's meta-schema; one finding per place. */
export const metaSchema: MetaRule = {
  code: "SCHEMA_META",
  scope: "meta",
  check({ file, dialect }, report) {
    // The meta-schema's validator precompiled (schema/meta.ts): what ajv's validateSchema runs.
    const validate = metaValidator(dialect);
    if (validate(schemaForAjv(file))) return;
    // One finding per place: the meta-schema's alternatives (anyOf) would repeat it.
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      if (seen.has(e.instancePath)) continue;
      seen.add(e.instancePath);
      report(e.instancePath, `${e.message ?? "invalid"}${describeParams(e)}`, metaFix(e));
    }
  },
};

/** The rules of this file, in the order the runner applies them within their scopes. */
export const DIALECT_RULES = [dialect, id, metaSchema] as const;
