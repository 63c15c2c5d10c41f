/**
 * `npm run models:pull`: copies every catalog model into the models bucket (MAAS_MODELS_BUCKET, or a
 * folder with --dir), from the mirror (MAAS_MODEL_MIRROR, default ../shared/models) or its public URL.
 */
import { catalog, config, createS3Client, FsBlobStore, pullModels, S3BlobStore } from "@marquee/core";

const dirFlag = process.argv.indexOf("--dir");
const settings = config();
const target =
  dirFlag > 0 && process.argv[dirFlag + 1]
    ? new FsBlobStore(process.argv[dirFlag + 1] as string)
    : new S3BlobStore(createS3Client(settings), settings.modelsBucket);
try {
  const reports = await pullModels(catalog, { mirror: settings.modelMirror, target });
  for (const report of reports)
    console.log(`${report.outcome.padEnd(8)} ${report.id}/${report.file}  (${report.from})`);
} catch (error) {
  console.error(`models:pull failed: ${(error as Error).message}`);
  process.exit(1);
}
