/** The timeline planner (issue: the school year runs itself): configuration, steps, and the actions they produce. */
export * from './types';
export * from './calendar';
export * from './steps';
export * from './actions';
export * from './profiles';
export * from './messages';
export * from './delivery';
export * from './scope';
