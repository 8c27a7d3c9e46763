export * from './data-lake';
export * from './etl-job';
export * from './streaming-ingestion';
export * from './zone-crawler';
