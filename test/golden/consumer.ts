// Type-checked by test/golden.test.ts with tsc --strict: how a service uses the generated module.
import {
  type DomainEvent,
  type EventOf,
  type EventType,
  EventValidationError,
  events,
  type InvoiceIssuedV2,
  isDomainEvent,
  type Money,
  parseEvent,
  validate,
  validators,
} from "./index.js";

export function total(event: DomainEvent): Money | number {
  switch (event.type) {
    case "billing.invoice.invoice-issued.v1":
      return event.data.amount;
    case "billing.invoice.invoice-issued.v2":
      // @ts-expect-error v2 has no `amount`: narrowing picked the right payload type.
      void event.data.amount;
      return event.data.total;
    case "billing.payment.payment-captured.v1":
      return event.data.amount;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

export function first(value: unknown): string {
  const result = validate(value);
  if (!result.ok) return result.errors.map((e) => `${e.pointer}: ${e.message}`).join("\n");
  const issued: EventOf<"billing.invoice.invoice-issued.v2"> | undefined =
    result.event.type === "billing.invoice.invoice-issued.v2" ? result.event : undefined;
  return issued?.data.lines[0].text ?? result.event.id;
}

export function perType(value: unknown): InvoiceIssuedV2 | undefined {
  const r = validators["billing.invoice.invoice-issued.v2"](value);
  return r.ok ? r.event : undefined;
}

export const types: EventType[] = events.map((e) => e.type);
export const ok: boolean = isDomainEvent({});
export function strict(value: unknown): DomainEvent {
  try {
    return parseEvent(value);
  } catch (e) {
    if (e instanceof EventValidationError) throw new Error(e.errors.map((x) => x.pointer).join(","));
    throw e;
  }
}
// @ts-expect-error an unknown type is not an EventType
export const wrong: EventType = "billing.invoice.invoice-issued.v3";

// The system module: the same API over the system's events only.
import * as billing from "./systems/billing.js";
export const billingTypes: billing.EventType[] = billing.events.map((e) => e.type);
export function onlyBilling(value: unknown): billing.DomainEvent | undefined {
  const r = billing.validate(value);
  return r.ok ? r.event : undefined;
}
