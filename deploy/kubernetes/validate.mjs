// Validates each document of a manifest against the Kubernetes schemas in kubernetes-models (npm).
import fs from "fs";
import * as yaml from "js-yaml";
import { Namespace, ConfigMap, Secret } from "kubernetes-models/v1";
import { DaemonSet } from "kubernetes-models/apps/v1";
const kinds = { "v1/Namespace": Namespace, "v1/ConfigMap": ConfigMap, "v1/Secret": Secret, "apps/v1/DaemonSet": DaemonSet };
let failed = 0;
for (const doc of yaml.loadAll(fs.readFileSync(process.argv[2], "utf8"))) {
  const Model = kinds[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) { console.log(`unknown kind ${doc.apiVersion}/${doc.kind}`); failed++; continue; }
  try { new Model(doc).validate(); console.log(`valid ${doc.kind} ${doc.metadata.name}`); }
  catch (e) { console.log(`invalid ${doc.kind} ${doc.metadata?.name}: ${e.message}`); failed++; }
}
process.exit(failed ? 1 : 0);
