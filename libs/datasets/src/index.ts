export * from './datasets.module';
export * from './catalogue/catalogue.types';
export * from './catalogue/catalogue-rules';
export * from './catalogue/dataset-catalogue.service';
export * from './catalogue/dataset.entity';
export * from './catalogue/dataset-field.entity';
export * from './safe-data';
