/** One readiness condition. */
export interface HealthCheck {
  ok: boolean;
  /** Why not, or what it saw ("connected", "missing: v1.users"). */
  detail?: string;
}

/**
 * For orchestrators: `live` false means restart the process; `ready` false
 * means send it no traffic yet. `checks` says which condition failed.
 */
export interface HealthReport {
  live: boolean;
  ready: boolean;
  checks: {
    started: HealthCheck;
    transporter: HealthCheck;
    dependencies: HealthCheck;
  };
}
