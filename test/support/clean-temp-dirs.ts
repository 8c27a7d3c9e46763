import { removeTempDirs } from './temp-dirs';

// Registered for every test file (jest.config.js setupFilesAfterEnv).
afterAll(() => {
  removeTempDirs();
});
