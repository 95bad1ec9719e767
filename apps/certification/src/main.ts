import { bootstrapService } from '@techan/common';
import { AppModule } from './app/app.module';
import { runSeedCommand } from './seed';
import { CERTIFICATION_SERVICE } from './service';

// `node dist/apps/certification/main.js seed-demo` issues the demo certificates (see seed.ts); the
// seed runs from the build because the service's classes rely on emitted decorator metadata.
if (process.argv[2] === 'seed-demo') runSeedCommand();
else void bootstrapService(CERTIFICATION_SERVICE, AppModule);
