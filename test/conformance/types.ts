/**
 * The shapes of a kube-conformance case (see /work/shared/kube-conformance/README.md) and of an actual result.
 */

export interface CaseRequest {
  method: string;
  /** Path and query, already URL-encoded; may contain `{{stepN.PATH}}` templates. */
  path: string;
  headers?: Record<string, string>;
  /** JSON value (sent as JSON.stringify) or a string (sent as is). */
  body?: unknown;
}

export interface MessageRule {
  prefix?: string;
  contains?: string[];
}

export interface CompareRules {
  ignore?: Array<Array<string | number>>;
  absent?: Array<Array<string | number>>;
  message?: MessageRule | 'ignore';
  eventsUnordered?: boolean;
}

export interface RecordedEvent {
  type: string;
  object: unknown;
}

export interface CaseStep {
  description?: string;
  request: CaseRequest;
  poll?: { until: string; timeoutMs?: number; intervalMs?: number };
  watch?: boolean;
  compare?: CompareRules;
  response: { status: number; contentType: string; body?: unknown; events?: RecordedEvent[] };
}

export interface ConformanceCase {
  name: string;
  description?: string;
  themes?: string[];
  steps: CaseStep[];
}

/** What a step actually got: `body` (parsed JSON, or the raw text) or, for a watch, `events`. */
export interface StepResult {
  status: number;
  contentType: string;
  body?: unknown;
  events?: RecordedEvent[];
}
