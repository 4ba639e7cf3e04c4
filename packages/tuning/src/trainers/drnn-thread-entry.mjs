// Worker-thread bootstrap: the platform runs from TypeScript sources, so the
// thread registers tsx before loading its body. Kept as plain JS because it
// is loaded before any TypeScript support exists in the thread.
import { register } from "tsx/esm/api";

register();
await import("./drnn-thread-body.ts");
