import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { DomainError } from '@tre/core';

function fieldMessages(errors: ClassValidatorError[], prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) fields[path] = Object.values(error.constraints);
    Object.assign(fields, fieldMessages(error.children ?? [], path));
  }
  return fields;
}

/**
 * Validation at the edge: unknown fields are refused (not silently dropped), values are converted to the
 * DTO's types, and a failure is a 400 listing each field and what is wrong with it.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = fieldMessages(errors);
      return new DomainError('validation_failed', `Invalid request: ${Object.keys(fields).join(', ')}`, {
        fields,
      });
    },
  });
}
