/**
 * Every change type the diff can report, with one plain-English sentence each, and the two policies
 * that say which of them keep BACKWARD compatibility (a consumer on the new schema still reads
 * events written with the old one).
 *
 * The names are Confluent Schema Registry's `Difference.Type` names (json-schema-provider, `diff`
 * package), so that people who know that registry know ours. Three are our own: `FORMAT_ADDED`,
 * `FORMAT_REMOVED`, `FORMAT_CHANGED` (Confluent does not look at `format`).
 *
 * The sentences are what the pretty output prints; tests never assert their wording.
 */

const TABLE = {
  // Annotations and the schema as a whole.
  ID_CHANGED: { sentence: "The schema's $id changed; it names the schema and does not change which events are valid." },
  TITLE_CHANGED: { sentence: "The title changed; it documents the schema and does not change which events are valid." },
  DESCRIPTION_CHANGED: { sentence: "The description changed; it documents the schema and does not change which events are valid." },
  DEFAULT_CHANGED: { sentence: "The default value changed; it is documentation for readers and does not change which events are valid." },
  SCHEMA_ADDED: { sentence: "A schema now constrains a place that accepted anything before, so some old values may no longer fit." },
  SCHEMA_REMOVED: { sentence: "A schema that constrained a place was removed, so that place now accepts anything." },
  TYPE_EXTENDED: { sentence: "The type was widened (integer to number), so every old value still fits." },
  TYPE_NARROWED: { sentence: "The type was narrowed (number to integer), so old values with a fraction no longer fit." },
  TYPE_CHANGED: {
    sentence: "The kind of value changed (say, string to number, or to a different construct), so old values no longer fit.",
  },

  // Strings.
  MAX_LENGTH_ADDED: { sentence: "A maximum length was added to a string, so longer old values no longer fit." },
  MAX_LENGTH_REMOVED: { sentence: "The maximum length of a string was removed, so every old value still fits." },
  MAX_LENGTH_INCREASED: { sentence: "The maximum length of a string was raised, so every old value still fits." },
  MAX_LENGTH_DECREASED: { sentence: "The maximum length of a string was lowered, so longer old values no longer fit." },
  MIN_LENGTH_ADDED: { sentence: "A minimum length was added to a string, so shorter old values no longer fit." },
  MIN_LENGTH_REMOVED: { sentence: "The minimum length of a string was removed, so every old value still fits." },
  MIN_LENGTH_INCREASED: { sentence: "The minimum length of a string was raised, so shorter old values no longer fit." },
  MIN_LENGTH_DECREASED: { sentence: "The minimum length of a string was lowered, so every old value still fits." },
  PATTERN_ADDED: { sentence: "A pattern was added to a string, so old values that do not match it no longer fit." },
  PATTERN_REMOVED: { sentence: "The pattern of a string was removed, so every old value still fits." },
  PATTERN_CHANGED: { sentence: "The pattern of a string changed, so old values that matched only the old pattern no longer fit." },
  FORMAT_ADDED: { sentence: "A format (date-time, email …) was added to a string, so old values in another shape no longer fit." },
  FORMAT_REMOVED: { sentence: "The format of a string was removed, so every old value still fits." },
  FORMAT_CHANGED: { sentence: "The format of a string changed, so old values in the old format no longer fit." },

  // Numbers.
  MAXIMUM_ADDED: { sentence: "A maximum was added to a number, so larger old values no longer fit." },
  MAXIMUM_REMOVED: { sentence: "The maximum of a number was removed, so every old value still fits." },
  MAXIMUM_INCREASED: { sentence: "The maximum of a number was raised, so every old value still fits." },
  MAXIMUM_DECREASED: { sentence: "The maximum of a number was lowered, so larger old values no longer fit." },
  MINIMUM_ADDED: { sentence: "A minimum was added to a number, so smaller old values no longer fit." },
  MINIMUM_REMOVED: { sentence: "The minimum of a number was removed, so every old value still fits." },
  MINIMUM_INCREASED: { sentence: "The minimum of a number was raised, so smaller old values no longer fit." },
  MINIMUM_DECREASED: { sentence: "The minimum of a number was lowered, so every old value still fits." },
  EXCLUSIVE_MAXIMUM_ADDED: { sentence: "An exclusive maximum was added to a number, so old values at or above it no longer fit." },
  EXCLUSIVE_MAXIMUM_REMOVED: { sentence: "The exclusive maximum of a number was removed, so every old value still fits." },
  EXCLUSIVE_MAXIMUM_INCREASED: { sentence: "The exclusive maximum of a number was raised, so every old value still fits." },
  EXCLUSIVE_MAXIMUM_DECREASED: { sentence: "The exclusive maximum of a number was lowered, so larger old values no longer fit." },
  EXCLUSIVE_MINIMUM_ADDED: { sentence: "An exclusive minimum was added to a number, so old values at or below it no longer fit." },
  EXCLUSIVE_MINIMUM_REMOVED: { sentence: "The exclusive minimum of a number was removed, so every old value still fits." },
  EXCLUSIVE_MINIMUM_INCREASED: { sentence: "The exclusive minimum of a number was raised, so smaller old values no longer fit." },
  EXCLUSIVE_MINIMUM_DECREASED: { sentence: "The exclusive minimum of a number was lowered, so every old value still fits." },
  MULTIPLE_OF_ADDED: { sentence: "A multipleOf was added to a number, so old values that are not multiples of it no longer fit." },
  MULTIPLE_OF_REMOVED: { sentence: "The multipleOf of a number was removed, so every old value still fits." },
  MULTIPLE_OF_EXPANDED: { sentence: "The multipleOf of a number became a multiple of the old one, so some old values no longer fit." },
  MULTIPLE_OF_REDUCED: { sentence: "The multipleOf of a number became a divisor of the old one, so every old value still fits." },
  MULTIPLE_OF_CHANGED: { sentence: "The multipleOf of a number changed to an unrelated value, so some old values no longer fit." },

  // Objects.
  REQUIRED_ATTRIBUTE_ADDED: { sentence: "An existing property became required, so old events without it no longer fit." },
  REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED: {
    sentence: "An existing property with a default became required; readers fill the default into old events that lack it.",
  },
  REQUIRED_ATTRIBUTE_REMOVED: { sentence: "A property is no longer required, so every old event still fits." },
  MAX_PROPERTIES_ADDED: { sentence: "A maximum number of properties was added, so larger old objects no longer fit." },
  MAX_PROPERTIES_REMOVED: { sentence: "The maximum number of properties was removed, so every old object still fits." },
  MAX_PROPERTIES_INCREASED: { sentence: "The maximum number of properties was raised, so every old object still fits." },
  MAX_PROPERTIES_DECREASED: { sentence: "The maximum number of properties was lowered, so larger old objects no longer fit." },
  MIN_PROPERTIES_ADDED: { sentence: "A minimum number of properties was added, so smaller old objects no longer fit." },
  MIN_PROPERTIES_REMOVED: { sentence: "The minimum number of properties was removed, so every old object still fits." },
  MIN_PROPERTIES_INCREASED: { sentence: "The minimum number of properties was raised, so smaller old objects no longer fit." },
  MIN_PROPERTIES_DECREASED: { sentence: "The minimum number of properties was lowered, so every old object still fits." },
  ADDITIONAL_PROPERTIES_ADDED: {
    sentence: "The object now accepts properties it does not list (it was closed), so every old event still fits.",
  },
  ADDITIONAL_PROPERTIES_REMOVED: {
    sentence: "The object no longer accepts properties it does not list, so old events carrying extra properties no longer fit.",
  },
  ADDITIONAL_PROPERTIES_EXTENDED: {
    sentence: "Unlisted properties may now hold any value instead of values of one schema, so every old event still fits.",
  },
  ADDITIONAL_PROPERTIES_NARROWED: {
    sentence: "Unlisted properties must now match a schema instead of holding any value, so some old events may no longer fit.",
  },
  UNEVALUATED_PROPERTIES_ADDED: {
    sentence:
      "The object now accepts properties no other keyword evaluates (unevaluatedProperties was false), so every old event still fits.",
  },
  UNEVALUATED_PROPERTIES_REMOVED: {
    sentence: "The object no longer accepts properties no other keyword evaluates, so old events carrying extra properties no longer fit.",
  },
  UNEVALUATED_PROPERTIES_EXTENDED: {
    sentence: "Unevaluated properties may now hold any value instead of values of one schema, so every old event still fits.",
  },
  UNEVALUATED_PROPERTIES_NARROWED: {
    sentence: "Unevaluated properties must now match a schema instead of holding any value, so some old events may no longer fit.",
  },
  DEPENDENCY_ARRAY_ADDED: {
    sentence: "A property now requires other properties when it is present, so old events without them no longer fit.",
  },
  DEPENDENCY_ARRAY_REMOVED: {
    sentence: "A property no longer requires other properties when it is present, so every old event still fits.",
  },
  DEPENDENCY_ARRAY_EXTENDED: {
    sentence: "A property now requires more other properties when it is present, so some old events no longer fit.",
  },
  DEPENDENCY_ARRAY_NARROWED: {
    sentence: "A property now requires fewer other properties when it is present, so every old event still fits.",
  },
  DEPENDENCY_ARRAY_CHANGED: { sentence: "The properties that a property requires when present changed, so some old events no longer fit." },
  DEPENDENCY_SCHEMA_ADDED: {
    sentence: "A property now brings a schema the whole object must match when it is present, so some old events may not fit.",
  },
  DEPENDENCY_SCHEMA_REMOVED: {
    sentence: "A property no longer brings a schema the object must match when it is present, so every old event still fits.",
  },
  PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: {
    sentence:
      "A property that accepts any value was listed in an object that already accepted unlisted properties, so every old event still fits.",
  },
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: {
    sentence:
      "An optional property was added to an object that accepts unlisted properties, so old events may already carry that name with a value that does not fit.",
  },
  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL: {
    sentence:
      "A required property without a default was added to an object that accepts unlisted properties, so old events without it no longer fit.",
  },
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL: {
    sentence:
      "A required property with a default was added to an object that accepts unlisted properties; old events may already carry that name with a value that does not fit.",
  },
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: {
    sentence:
      "A required property without a default was added to an object that did not accept it before, so old events without it no longer fit.",
  },
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL: {
    sentence:
      "A required property with a default was added to an object that did not accept it before; readers fill the default into old events.",
  },
  OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL: {
    sentence:
      "An optional property was added to an object that did not accept it before, so no old event carries it and every old event still fits.",
  },
  PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL: {
    sentence: "A property was removed from an object that accepts unlisted properties, so old events that carry it still fit.",
  },
  PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    sentence: "A property that no event could carry (schema false) was removed from a closed object, so every old event still fits.",
  },
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    sentence: "A property was removed from an object that does not accept unlisted properties, so old events that carry it no longer fit.",
  },
  PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence: "A removed property is still accepted through patternProperties or additionalProperties with a compatible schema.",
  },
  PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence: "A removed property now falls under patternProperties or additionalProperties whose schema its old values do not fit.",
  },
  PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence:
      "An added property was already accepted through patternProperties or additionalProperties, and its new schema accepts those values.",
  },
  PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence:
      "An added property was already accepted through patternProperties or additionalProperties, and its new schema rejects some of those old values.",
  },

  // Arrays.
  MAX_ITEMS_ADDED: { sentence: "A maximum number of items was added to an array, so longer old arrays no longer fit." },
  MAX_ITEMS_REMOVED: { sentence: "The maximum number of items of an array was removed, so every old array still fits." },
  MAX_ITEMS_INCREASED: { sentence: "The maximum number of items of an array was raised, so every old array still fits." },
  MAX_ITEMS_DECREASED: { sentence: "The maximum number of items of an array was lowered, so longer old arrays no longer fit." },
  MIN_ITEMS_ADDED: { sentence: "A minimum number of items was added to an array, so shorter old arrays no longer fit." },
  MIN_ITEMS_REMOVED: { sentence: "The minimum number of items of an array was removed, so every old array still fits." },
  MIN_ITEMS_INCREASED: { sentence: "The minimum number of items of an array was raised, so shorter old arrays no longer fit." },
  MIN_ITEMS_DECREASED: { sentence: "The minimum number of items of an array was lowered, so every old array still fits." },
  MAX_CONTAINS_ADDED: { sentence: "A maximum number of matching items (maxContains) was added, so some old arrays no longer fit." },
  MAX_CONTAINS_REMOVED: { sentence: "The maximum number of matching items (maxContains) was removed, so every old array still fits." },
  MAX_CONTAINS_INCREASED: { sentence: "The maximum number of matching items (maxContains) was raised, so every old array still fits." },
  MAX_CONTAINS_DECREASED: { sentence: "The maximum number of matching items (maxContains) was lowered, so some old arrays no longer fit." },
  MIN_CONTAINS_ADDED: { sentence: "A minimum number of matching items (minContains) was added, so some old arrays no longer fit." },
  MIN_CONTAINS_REMOVED: { sentence: "The minimum number of matching items (minContains) was removed, so every old array still fits." },
  MIN_CONTAINS_INCREASED: { sentence: "The minimum number of matching items (minContains) was raised, so some old arrays no longer fit." },
  MIN_CONTAINS_DECREASED: { sentence: "The minimum number of matching items (minContains) was lowered, so every old array still fits." },
  UNIQUE_ITEMS_ADDED: { sentence: "The items of an array must now be unique, so old arrays with repeated items no longer fit." },
  UNIQUE_ITEMS_REMOVED: { sentence: "The items of an array no longer need to be unique, so every old array still fits." },
  ADDITIONAL_ITEMS_ADDED: {
    sentence: "The array now accepts items beyond its listed positions (it was closed), so every old array still fits.",
  },
  ADDITIONAL_ITEMS_REMOVED: {
    sentence: "The array no longer accepts items beyond its listed positions, so longer old arrays no longer fit.",
  },
  ADDITIONAL_ITEMS_EXTENDED: {
    sentence: "Items beyond the listed positions may now hold any value instead of values of one schema, so every old array still fits.",
  },
  ADDITIONAL_ITEMS_NARROWED: {
    sentence:
      "Items beyond the listed positions must now match a schema instead of holding any value, so some old arrays may no longer fit.",
  },
  UNEVALUATED_ITEMS_ADDED: {
    sentence: "The array now accepts items no other keyword evaluates (unevaluatedItems was false), so every old array still fits.",
  },
  UNEVALUATED_ITEMS_REMOVED: {
    sentence: "The array no longer accepts items no other keyword evaluates, so longer old arrays no longer fit.",
  },
  UNEVALUATED_ITEMS_EXTENDED: {
    sentence: "Unevaluated items may now hold any value instead of values of one schema, so every old array still fits.",
  },
  UNEVALUATED_ITEMS_NARROWED: {
    sentence: "Unevaluated items must now match a schema instead of holding any value, so some old arrays may no longer fit.",
  },
  ITEM_ADDED_TO_OPEN_CONTENT_MODEL: {
    sentence: "A position was added to a tuple that accepted any extra items, so old arrays may hold a value there that does not fit.",
  },
  ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL: {
    sentence: "A position that accepts any value was added to a tuple that accepted any extra items, so every old array still fits.",
  },
  ITEM_ADDED_TO_CLOSED_CONTENT_MODEL: {
    sentence: "A position was added to a tuple that accepted no extra items, so no old array reaches it and every old array still fits.",
  },
  ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL: {
    sentence: "A position was removed from a tuple that accepts any extra items, so every old array still fits.",
  },
  ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    sentence: "A position that no array could fill (schema false) was removed from a closed tuple, so every old array still fits.",
  },
  ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL: {
    sentence: "A position was removed from a tuple that accepts no extra items, so old arrays that fill it no longer fit.",
  },
  ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence: "A removed tuple position is still accepted by the schema for extra items, which its old values fit.",
  },
  ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence: "A removed tuple position now falls under the schema for extra items, which some of its old values do not fit.",
  },
  ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence: "An added tuple position was already accepted by the schema for extra items, and its new schema accepts those values.",
  },
  ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL: {
    sentence:
      "An added tuple position was already accepted by the schema for extra items, and its new schema rejects some of those old values.",
  },

  // Enumerations and constants.
  ENUM_ARRAY_EXTENDED: { sentence: "Values were added to an enum (or const), so every old value still fits." },
  ENUM_ARRAY_NARROWED: { sentence: "Values were removed from an enum (or const), so old events holding them no longer fit." },
  ENUM_ARRAY_CHANGED: { sentence: "The values of an enum (or const) changed, so old events holding a removed value no longer fit." },

  // Combined schemas: allOf (product), anyOf/oneOf (sum), not, and the implicit ones (`type` with `enum`, type arrays).
  COMBINED_TYPE_EXTENDED: {
    sentence: "The combination became looser (allOf or oneOf to anyOf, or a single-branch change), so every old value still fits.",
  },
  COMBINED_TYPE_CHANGED: {
    sentence: "The combination keyword changed in a way that can reject old values (say, anyOf to oneOf or to allOf).",
  },
  PRODUCT_TYPE_EXTENDED: {
    sentence: "A schema that values must also match was added (allOf, or `enum` next to `type`), so some old values may not fit.",
  },
  PRODUCT_TYPE_NARROWED: {
    sentence: "A schema that values also had to match was removed (allOf, or `enum` next to `type`), so every old value still fits.",
  },
  SUM_TYPE_EXTENDED: { sentence: "An alternative was added (anyOf, oneOf or a type array), so every old value still fits." },
  SUM_TYPE_NARROWED: {
    sentence: "An alternative was removed (anyOf, oneOf or a type array), so old values of that alternative no longer fit.",
  },
  COMBINED_TYPE_SUBSCHEMAS_CHANGED: {
    sentence: "The branches of a combination changed so that no old branch finds a compatible new one, so some old values no longer fit.",
  },
  NOT_TYPE_EXTENDED: { sentence: "The schema under `not` now covers more values, so old values it now excludes no longer fit." },
  NOT_TYPE_NARROWED: { sentence: "The schema under `not` now covers fewer values, so every old value still fits." },
} as const satisfies Record<string, { sentence: string }>;

/** A change type name (a key of `CHANGE_TYPES`). */
export type ChangeType = keyof typeof TABLE;

/** Every change type the diff can report, with the sentence an event author reads. */
export const CHANGE_TYPES: Readonly<Record<string, { sentence: string }>> = TABLE;

/**
 * Confluent's STRICT set (`SchemaDiff.COMPATIBLE_CHANGES_STRICT`, 65 types: the relaxations of
 * every keyword, plus removals and closed-model additions), and our own `FORMAT_REMOVED`.
 * Everything outside the set breaks BACKWARD compatibility.
 */
export const COMPATIBLE_STRICT: ReadonlySet<string> = new Set<string>([
  "ID_CHANGED",
  "DESCRIPTION_CHANGED",
  "TITLE_CHANGED",
  "DEFAULT_CHANGED",
  "SCHEMA_REMOVED",
  "TYPE_EXTENDED",
  "MAX_LENGTH_INCREASED",
  "MAX_LENGTH_REMOVED",
  "MIN_LENGTH_DECREASED",
  "MIN_LENGTH_REMOVED",
  "PATTERN_REMOVED",
  "FORMAT_REMOVED",
  "MAXIMUM_INCREASED",
  "MAXIMUM_REMOVED",
  "MINIMUM_DECREASED",
  "MINIMUM_REMOVED",
  "EXCLUSIVE_MAXIMUM_INCREASED",
  "EXCLUSIVE_MAXIMUM_REMOVED",
  "EXCLUSIVE_MINIMUM_DECREASED",
  "EXCLUSIVE_MINIMUM_REMOVED",
  "MULTIPLE_OF_REDUCED",
  "MULTIPLE_OF_REMOVED",
  "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED",
  "REQUIRED_ATTRIBUTE_REMOVED",
  "DEPENDENCY_ARRAY_NARROWED",
  "DEPENDENCY_ARRAY_REMOVED",
  "DEPENDENCY_SCHEMA_REMOVED",
  "MAX_PROPERTIES_INCREASED",
  "MAX_PROPERTIES_REMOVED",
  "MIN_PROPERTIES_DECREASED",
  "MIN_PROPERTIES_REMOVED",
  "ADDITIONAL_PROPERTIES_ADDED",
  "ADDITIONAL_PROPERTIES_EXTENDED",
  "UNEVALUATED_PROPERTIES_ADDED",
  "UNEVALUATED_PROPERTIES_EXTENDED",
  "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
  "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL",
  "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
  "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
  "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL",
  "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "MAX_ITEMS_INCREASED",
  "MAX_ITEMS_REMOVED",
  "MIN_ITEMS_DECREASED",
  "MIN_ITEMS_REMOVED",
  "MAX_CONTAINS_INCREASED",
  "MAX_CONTAINS_REMOVED",
  "MIN_CONTAINS_DECREASED",
  "MIN_CONTAINS_REMOVED",
  "UNIQUE_ITEMS_REMOVED",
  "ADDITIONAL_ITEMS_ADDED",
  "ADDITIONAL_ITEMS_EXTENDED",
  "UNEVALUATED_ITEMS_ADDED",
  "UNEVALUATED_ITEMS_EXTENDED",
  "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL",
  "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
  "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL",
  "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
  "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "ENUM_ARRAY_EXTENDED",
  "COMBINED_TYPE_EXTENDED",
  "PRODUCT_TYPE_NARROWED",
  "SUM_TYPE_EXTENDED",
  "NOT_TYPE_NARROWED",
]);

/**
 * Confluent's LENIENT set (`COMPATIBLE_CHANGES_LENIENT`, 74 types): STRICT plus the changes that only
 * matter to a reader that rejects properties it does not know. It assumes readers ignore extra
 * properties, so narrowing or closing the content model of an object, and adding a property
 * (optional, or required with a default) to an open one, are accepted. (`PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`
 * is Confluent's deprecated name, never reported.)
 */
export const COMPATIBLE_LENIENT: ReadonlySet<string> = new Set<string>([
  ...COMPATIBLE_STRICT,
  "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
  "ADDITIONAL_PROPERTIES_NARROWED",
  "ADDITIONAL_PROPERTIES_REMOVED",
  "UNEVALUATED_PROPERTIES_NARROWED",
  "UNEVALUATED_PROPERTIES_REMOVED",
  "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
  "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
  "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
]);
