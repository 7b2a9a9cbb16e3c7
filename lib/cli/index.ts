export * from './validation-plugin';
