export const tensorVersion = '0.1.0';
