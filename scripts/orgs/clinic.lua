-- Riverside Clinic intake line (seed 002): the assistant is not a medical
-- professional; it takes a structured intake (name, date of birth, reason, symptoms,
-- urgency), and words that describe an emergency escalate the call at once to the
-- nurse line, with the caller told to call 911.
local text = require("text")
local calls = require("calls")

-- Matched whole-word in every line the caller says; false positives cost a nurse's
-- minute, misses cost more, so the list leans wide.
local EMERGENCY = text.phrases {
  "chest pain", "chest hurts", "can't breathe", "cant breathe", "cannot breathe", "can not breathe",
  "not breathing", "trouble breathing", "difficulty breathing", "stroke", "heatstroke",
  "severe bleeding", "bleeding heavily", "heavy bleeding", "won't stop bleeding",
  "unconscious", "passed out", "unresponsive", "overdos*", "suicid*", "kill myself",
  "end my life", "seizure*", "throat is closing", "anaphyla*",
}
local URGENT = text.phrases {
  "high fever", "fever", "vomit*", "severe pain", "infect*", "swelling", "swollen", "dizz*", "fainted",
}
-- Asking for a person is an escalation too (seed 002: "explicit escalation requests").
local WANTS_PERSON = text.phrases {
  "real person", "a human", "speak to someone", "talk to someone", "speak to a nurse", "talk to a nurse",
  "speak with a nurse", "speak to the nurse", "talk to the nurse", "speak to a doctor", "talk to a doctor",
  "speak with a doctor",
}
local UNSURE = text.phrases { "not sure", "don't know", "i don't remember", "no idea" }
local NURSE_REASON = text.phrases { "nurse", "doctor", "clinical", "symptom*" }
-- Functions an intake assistant must never run, whatever the model asks: matched on
-- the function's name ("diagnose_symptoms", "get_dosage", "prescribe").
local MEDICAL_ADVICE = text.phrases { "diagnos*", "prescri*", "dosage", "dose", "treatment*", "medical_advice", "triage" }
local SYMPTOMS = { "pain", "fever", "cough*", "rash", "sick", "hurt*", "symptom*", "ache*", "sore" }
local SYMPTOM_WORDS = text.phrases(SYMPTOMS)
local CATEGORIES = text.categories {
  { "appointment", { "appointment*", "reschedule", "cancel my visit", "book", "check-up", "checkup" } },
  { "prescription", { "refill*", "prescription*", "pharmacy", "medication*" } },
  { "billing", { "bill", "billing", "insurance", "copay", "payment*", "invoice*" } },
  { "symptoms", SYMPTOMS },
}

function prompt(call)
  local lines = {
    "You are the intake assistant of Riverside Clinic. You are not a medical professional:",
    "never diagnose, never suggest a treatment or a dose, and say so if asked.",
    "Collect, one question at a time: the patient's full name, date of birth, the reason for the call,",
    "their symptoms and since when, and how urgent it feels (low, medium, high).",
    "Read the details back before you finish.",
    "If the caller describes an emergency (chest pain, trouble breathing, heavy bleeding, thoughts of",
    "self-harm), tell them to hang up and call 911 now, then transfer the call to the nurse line.",
  }
  return calls.prompt(call, lines, {
    caller = "The caller may be %s; confirm it.",
    closed = "The clinic is closed until %s: take a message for the morning team.",
  })
end

function assistant(call)
  -- After hours the greeting says so before anything else; the rest is the YAML spec.
  if calls.closed_until() then
    return {
      first_message = "You've reached Riverside Clinic after hours. If this is an emergency, hang up and call 911. "
        .. "Otherwise I can take a message for our team.",
    }
  end
  return nil
end

function route_tool(call, name, args)
  if text.find_any(name, MEDICAL_ADVICE) then
    return { action = "deny", message = "I can't give medical advice, but I can make sure a clinician calls you back." }
  end
  return nil
end

function on_event(call, event)
  local words = calls.customer_words(event)
  if not words or calls.has_tag(call, "emergency") then return end
  local emergency = text.find_any(words, EMERGENCY)
  if emergency then
    -- At once, whatever the phase: the transfer that follows goes to the nurse line.
    sb.tag("emergency")
    sb.escalate("emergency: " .. emergency)
    return
  end
  if text.find_any(words, URGENT) then sb.tag("urgent") end
  if text.find_any(words, WANTS_PERSON) then
    sb.escalate("caller asked for a person")
  elseif call.phase == "intake" and text.find_any(words, UNSURE) then
    sb.set_phase("clarification")  -- the prompt's read-back settles it
  end
end

function transfer_target(call, reason)
  if calls.has_tag(call, "emergency") or text.find_any(reason, EMERGENCY) then
    return { number = sb.config("nurse_line"), message = "I'm connecting you with our nurse now. If you can, call 911." }
  end
  local reopens = calls.closed_until()
  if reopens then
    return { error = "The clinic is closed until " .. reopens .. ". If this is an emergency, please call 911." }
  end
  if calls.has_tag(call, "urgent") or text.find_any(reason, NURSE_REASON) then
    return { number = sb.config("nurse_line"), message = "Let me connect you with our nurse." }
  end
  return { number = sb.config("front_desk_line"), message = "Let me connect you with our front desk." }
end

function classify(call, transcript)
  -- Analytics get the category and urgency only: the intake's personal details stay
  -- in the transcript, behind the API's access rules.
  local said = calls.customer_text(transcript)
  local urgency = "low"
  if calls.has_tag(call, "emergency") or text.find_any(said, EMERGENCY) then
    urgency = "emergency"
  elseif calls.has_tag(call, "urgent") or text.find_any(said, URGENT) then
    urgency = "high"
  elseif text.find_any(said, SYMPTOM_WORDS) then
    urgency = "medium"
  end
  return {
    category = urgency == "emergency" and "emergency" or text.first_category(said, CATEGORIES, "general"),
    resolution = calls.resolution(call),
    sentiment = "neutral",
    urgency = urgency,
  }
end
