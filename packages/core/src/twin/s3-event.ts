/** The S3 notification shape lives with the adapters (reprocessing in the cloud builds it too). */
export * from "../adapters/s3-event.js";
