/**
 * The task statements of both exams the project maps to, as AWS's exam guides title them
 * (MLS-C01, retired 2026-03-31, which the study guide follows; MLA-C01, its successor). A test
 * keeps this list equal to the project's reference copy.
 */

/** An AWS certification exam. */
export enum Exam {
  /** AWS Certified Machine Learning – Specialty (retired 2026-03-31). */
  MLS_C01 = 'MLS-C01',
  /** AWS Certified Machine Learning Engineer – Associate (current). */
  MLA_C01 = 'MLA-C01',
}

export interface TaskStatement {
  readonly exam: Exam;
  /** `<domain>.<task>`, e.g. `1.2`. */
  readonly id: string;
  readonly title: string;
}

const mls = (id: string, title: string): TaskStatement => ({ exam: Exam.MLS_C01, id, title });
const mla = (id: string, title: string): TaskStatement => ({ exam: Exam.MLA_C01, id, title });

export const TASK_STATEMENTS: readonly TaskStatement[] = [
  mls('1.1', 'Create data repositories for ML'),
  mls('1.2', 'Identify and implement a data ingestion solution'),
  mls('1.3', 'Identify and implement a data transformation solution'),
  mls('2.1', 'Sanitize and prepare data for modeling'),
  mls('2.2', 'Perform feature engineering'),
  mls('2.3', 'Analyze and visualize data for ML'),
  mls('3.1', 'Frame business problems as ML problems'),
  mls('3.2', 'Select the appropriate model(s) for a given ML problem'),
  mls('3.3', 'Train ML models'),
  mls('3.4', 'Perform hyperparameter optimization'),
  mls('3.5', 'Evaluate ML models'),
  mls('4.1', 'Build ML solutions for performance, availability, scalability, resiliency, and fault tolerance'),
  mls('4.2', 'Recommend and implement the appropriate ML services and features for a given problem'),
  mls('4.3', 'Apply basic AWS security practices to ML solutions'),
  mls('4.4', 'Deploy and operationalize ML solutions'),
  mla('1.1', 'Ingest and store data'),
  mla('1.2', 'Transform data and perform feature engineering'),
  mla('1.3', 'Ensure data integrity and prepare data for modeling'),
  mla('2.1', 'Choose a modeling approach'),
  mla('2.2', 'Train and refine models'),
  mla('2.3', 'Analyze model performance'),
  mla('3.1', 'Select deployment infrastructure based on existing architecture and requirements'),
  mla('3.2', 'Create and script infrastructure based on existing architecture and requirements'),
  mla('3.3', 'Use automated orchestration tools to set up CI/CD pipelines'),
  mla('4.1', 'Monitor model inference'),
  mla('4.2', 'Monitor and optimize infrastructure and costs'),
  mla('4.3', 'Secure AWS resources'),
];
