/**
 * Regions where the lab runs: those with a built-in XGBoost 1.7-1 image in the project's table
 * (aws-facts.md §1; lib/core/built-in-image.ts holds the same list for synth, which lib/lab may not import).
 */
export const SUPPORTED_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'eu-north-1',
  'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1', 'ca-central-1', 'sa-east-1',
  'cn-north-1', 'cn-northwest-1',
];
