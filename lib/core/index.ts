export * from './access-log-bucket';
export * from './built-in-image';
export * from './data-key';
export * from './encrypted-log-group';
export * from './nag';
export * from './naming';
export * from './profile';
export * from './secure-bucket';
