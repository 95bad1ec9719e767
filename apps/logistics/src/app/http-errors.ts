import { DomainError } from '@techan/common';
import { TransitionRefused } from '../domain';

/** Runs domain code and turns its refusals into the HTTP errors the global filter knows. */
export function domain<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof TransitionRefused) throw new DomainError(e.code, e.reasonZh, e.status);
    throw e;
  }
}
