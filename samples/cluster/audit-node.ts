/** An audit node (a separate process started by main.ts). */
import { AuditService } from "./audit.service";
import { runNode } from "./run-node";

runNode([AuditService]);
