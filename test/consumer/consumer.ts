// A service's code, importing the package by its name (self-reference through package.json
// "exports"): type-checked under strict by test/consumer.test.ts against the built dist/.
import { type DomainEvent, events, type InvoiceIssuedV2, parseEvent, validate, validators } from "domain-events";

export function describeEvent(event: DomainEvent): string {
  if (event.type === "existing-business.invoice.invoice-issued.v2") {
    const invoice: InvoiceIssuedV2 = event;
    return `${invoice.data.invoiceNumber}: ${invoice.data.grossTotal.amountMinor} ${invoice.data.grossTotal.currency}`;
  }
  if (event.type === "clh.client-account.client-account-created.v2") {
    return event.data.isTest ? "a test account" : "a real account";
  }
  // @ts-expect-error isTest exists only on ClientAccount events: narrowing removed them here.
  return String(event.data.isTest);
}

export function handle(raw: unknown): string {
  const result = validate(raw);
  if (!result.ok) return result.errors.map((e) => `${e.pointer} ${e.message}`).join("; ");
  return describeEvent(result.event);
}

export const latest: string[] = events.filter((e) => e.latest).map((e) => e.type);
export const strict = (raw: unknown): DomainEvent => parseEvent(raw);
export const one = validators["existing-business.invoice.invoice-issued.v2"];
