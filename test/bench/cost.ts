/**
 * AWS Lambda list prices, us-east-1, arm64 (Graviton), first duration tier (first 6 billion GB-s per
 * month), from https://aws.amazon.com/lambda/pricing/. Excludes API Gateway ($1.00 per million HTTP API
 * requests), S3 and SQS requests, data transfer, and the free tier.
 */
export const LAMBDA_ARM64_USD_PER_GB_SECOND = 0.0000133334;
export const LAMBDA_USD_PER_REQUEST = 0.2 / 1_000_000;

export interface CostEstimate {
  usdPer1000Frames: number;
  durationUsd: number;
  requestUsd: number;
  basis: string;
}

/** Cost of 1,000 frames when each frame bills `msPerFrame` at `memoryMb`, and one invocation serves `framesPerInvocation`. */
export function costPer1000Frames(
  msPerFrame: number,
  memoryMb: number,
  framesPerInvocation: number,
  basis: string,
): CostEstimate {
  const durationUsd = (msPerFrame / 1000) * (memoryMb / 1024) * LAMBDA_ARM64_USD_PER_GB_SECOND * 1000;
  const requestUsd = (LAMBDA_USD_PER_REQUEST * 1000) / framesPerInvocation;
  return { usdPer1000Frames: durationUsd + requestUsd, durationUsd, requestUsd, basis };
}
