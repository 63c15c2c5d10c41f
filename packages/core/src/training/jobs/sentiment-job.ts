import { DEFAULT_FEATURES, type FeatureSpec, featuresOf } from "../sentiment/features.js";
import { ingestLabelled, type LabelledExample } from "../sentiment/ingest.js";
import { POLARITY_LABELS } from "../sentiment/labels.js";
import { linearLogits, softmaxInPlace, trainLogistic } from "../sentiment/logistic.js";
import { stratifiedSplit } from "../sentiment/split.js";
import { JobFailure, runJob, type TrainingDeps } from "./job-runner.js";
import type { TrainingJob } from "./job-spec.js";
import { promoteVersion, publishVersion } from "./publish.js";
import type { ClassifierScores } from "./report-classification.js";
import { type SentimentParams, sentimentParams } from "./sentiment-params.js";
import { type Scored, scoresOn, stackFeatures } from "./sentiment-scoring.js";
import { classifierVersion } from "./sentiment-version.js";
import type { JobStatus } from "./status.js";

/** The pretrained model a polarity classifier stacks on, and the default it must beat at first. */
export const BASE_SENTIMENT_MODEL = "sentiment/fasttext-amazon-polarity";

export interface SentimentDeps extends TrainingDeps {
  /** Class probabilities of texts under a model reference, through the sentiment task. */
  classify(texts: readonly string[], model: string): Promise<Scored>;
}

function paramsOf(job: TrainingJob): SentimentParams {
  const parsed = sentimentParams.safeParse(job.params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new JobFailure("bad_params", `${issue?.path.join(".") || "params"}: ${issue?.message}`);
}

const isPolarity = (labels: readonly string[]) => labels.join() === POLARITY_LABELS.join();

export function runSentimentJob(job: TrainingJob, deps: SentimentDeps): Promise<JobStatus> {
  return runJob(job, deps, async ({ writer, status, report, files, now }) => {
    const params = paramsOf(job);
    const { dataset, log, ignored } = await ingestLabelled(files);
    status.problems = report.problems = log.summaries();
    if (!dataset) {
      const count = report.problems.reduce((sum, problem) => sum + problem.count, 0);
      throw new JobFailure("bad_data", `The data set has ${count} problems; the report lists their rows`);
    }
    const { labels, examples } = dataset;
    const split = stratifiedSplit(examples, (example) => example.label, params.test_fraction, params.seed);
    report.data = {
      files: files.map((file) => file.name),
      ignored,
      examples: examples.length,
      ...Object.fromEntries(
        labels.map((label, c) => [`"${label}"`, examples.filter((e) => e.label === c).length]),
      ),
      train: split.train.length,
      test: split.test.length,
      fingerprint: dataset.fingerprint,
    };

    await writer.advance("evaluate");
    const stacked = params.stack && isPolarity(labels);
    const base = stacked ? await deps.classify(texts(examples), BASE_SENTIMENT_MODEL) : undefined;
    const extras = base ? stackFeatures(base, examples, POLARITY_LABELS[0]) : undefined;
    /** The test split under `reference`; fastText's scores are reused when it is both base and baseline. */
    const scoreBaseline = async (reference: string | undefined) => {
      if (reference === undefined) return undefined;
      if (reference !== BASE_SENTIMENT_MODEL || !base) return deps.classify(texts(split.test), reference);
      const position = new Map(examples.map((example, index) => [example, index]));
      return {
        ...base,
        rows: split.test.map((example) => base.rows[position.get(example) as number] as Float64Array),
      };
    };
    const current = await deps.versions.alias(job.modelId, "default");
    // The current default: the trained model's alias, or fastText before there is one (polarity labels).
    const baselineRef = current
      ? current.model === job.modelId
        ? `${job.modelId}@${current.version}`
        : current.model
      : isPolarity(labels)
        ? BASE_SENTIMENT_MODEL
        : undefined;
    const baselineScored = await scoreBaseline(baselineRef);
    const baseline = baselineScored && scoresOn(baselineScored, labels, split.test);

    await writer.advance("train");
    const spec: FeatureSpec = { ...DEFAULT_FEATURES, buckets: params.buckets, ngrams: params.ngrams };
    const extraOf = (example: LabelledExample) => extras?.get(example);
    const weights = sourceWeights(split.train, params.balance);
    const model = trainLogistic(
      split.train.map((example) => ({
        features: featuresOf(example.text, spec),
        label: example.label,
        extras: extraOf(example),
        weight: weights.get(example.source),
      })),
      {
        classes: labels.length,
        buckets: spec.buckets,
        extras: extras ? 1 : 0,
        epochs: params.epochs,
        learningRate: params.learning_rate,
        l2: params.l2,
        seed: params.seed,
        onEpoch: (epoch, value) => report.curve.push({ epoch, value, metric: "training log loss" }),
      },
    );
    const logits = new Float64Array(labels.length);
    const rows = split.test.map((example) =>
      Float64Array.from(
        softmaxInPlace(linearLogits(model, featuresOf(example.text, spec), extraOf(example), logits)),
      ),
    );
    const trained = scoresOn({ labels, rows, model: { id: job.modelId, version: "" } }, labels, split.test);
    if (!trained) throw new Error("the trained model's labels are the data set's");
    const decided = decide(job, trained, baseline);

    await writer.advance("publish");
    const metrics = flatMetrics(trained, baseline);
    const manifest = await publishVersion(
      deps.versions,
      job,
      classifierVersion(job, { spec, labels, model, stack: base?.model }),
      { params: { ...params }, dataFingerprint: dataset.fingerprint, metrics, current, now },
    );
    trained.model.version = manifest.version;
    const isDefault = current?.model === job.modelId && current.version === manifest.version;
    const promotion = isDefault ? { promoted: true, reason: "this version is the default already" } : decided;
    if (promotion.promoted) await promoteVersion(deps.versions, job.modelId, manifest.version, current);
    status.metrics = metrics;
    status.model = report.model = {
      id: job.modelId,
      version: manifest.version,
      promoted: promotion.promoted,
    };
    report.classification = {
      split: {
        testFraction: params.test_fraction,
        seed: params.seed,
        train: split.train.length,
        test: split.test.length,
      },
      trained,
      ...(baseline ? { baseline } : {}),
      promotion,
    };
    await writer.advance("report");
  });
}

const texts = (examples: readonly LabelledExample[]) => examples.map((example) => example.text);

/** With balance, each source's examples weigh (smallest source's count ÷ its count); else 1. */
function sourceWeights(train: readonly LabelledExample[], balance: boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const example of train) counts.set(example.source, (counts.get(example.source) ?? 0) + 1);
  const smallest = Math.min(...counts.values());
  return new Map([...counts].map(([source, count]) => [source, balance ? smallest / count : 1]));
}

function decide(job: TrainingJob, trained: ClassifierScores, baseline: ClassifierScores | undefined) {
  const ours = trained.overall.accuracy.toFixed(4);
  if (job.promote === "force") return { promoted: true, reason: "promote: force" };
  if (job.promote === false) return { promoted: false, reason: "promote: false" };
  if (!baseline) return { promoted: true, reason: "no current default with these labels" };
  const theirs = baseline.overall.accuracy.toFixed(4);
  const name = `${baseline.model.id}@${baseline.model.version}`;
  return trained.overall.accuracy > baseline.overall.accuracy
    ? { promoted: true, reason: `test accuracy ${ours} beats ${theirs} of ${name}` }
    : { promoted: false, reason: `test accuracy ${ours} does not beat ${theirs} of ${name}` };
}

function flatMetrics(
  trained: ClassifierScores,
  baseline: ClassifierScores | undefined,
): Record<string, number> {
  const metrics: Record<string, number> = {
    accuracy: trained.overall.accuracy,
    macroF1: trained.overall.macroF1,
    logLoss: trained.overall.logLoss,
  };
  for (const [source, scores] of Object.entries(trained.bySource))
    metrics[`accuracy.${source}`] = scores.accuracy;
  if (baseline) {
    metrics["baseline.accuracy"] = baseline.overall.accuracy;
    for (const [source, scores] of Object.entries(baseline.bySource)) {
      metrics[`baseline.accuracy.${source}`] = scores.accuracy;
    }
  }
  return metrics;
}
