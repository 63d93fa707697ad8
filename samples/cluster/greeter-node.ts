/** A greeter node (a separate process started by main.ts). */
import { GreeterService } from "./greeter.service";
import { runNode } from "./run-node";

runNode([GreeterService]);
