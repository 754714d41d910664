package io.riskloop.registry.record;

import com.fasterxml.jackson.core.type.TypeReference;
import io.riskloop.model.Json;
import io.riskloop.model.evaluate.TimeSplit;
import io.riskloop.model.train.TrainingParams;

import java.util.LinkedHashMap;
import java.util.Map;

/** Typed settings flattened into a run's string parameters, with the names the model files use (snake_case). */
public final class RunParams {

    private RunParams() {
    }

    public static Map<String, String> of(TrainingParams p) {
        Map<String, Object> raw = Json.mapper().convertValue(p, new TypeReference<Map<String, Object>>() { });
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, String.valueOf(v)));
        out.put("algorithm", p.algorithm().cliName()); // as the command line spells it
        return out;
    }

    public static Map<String, String> of(TimeSplit s) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("split.train_start", s.trainStart().toString());
        out.put("split.train_days", Integer.toString(s.trainDays()));
        out.put("split.delay_days", Integer.toString(s.delayDays()));
        out.put("split.test_days", Integer.toString(s.testDays()));
        return out;
    }
}
